"""SQLAlchemy models of the catalogue (programs, contacts, geography); the log's table is in
desk.db.log_model and the shared base in desk.db.model_base, both reachable from here.

Every catalogue row belongs to the data pack it came from (``pack_id``, cascading
delete: re-importing a pack replaces its rows as a whole) and carries its source
file, section and as-of date. References that may cross packs (an office's
organisation, a document's issuing office, a program's provider) are plain ids
checked by the importer and by ``desk db check``; references inside one record
(a variant's rate tiers) are real foreign keys.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

# The consultation log's table lives beside, in its own module; every model is reachable here.
from desk.db.log_model import FOLLOW_UP_CLEARED as FOLLOW_UP_CLEARED
from desk.db.log_model import Consultation as Consultation
from desk.db.log_model import LogCause as LogCause
from desk.db.log_model import LogEntry as LogEntry
from desk.db.log_model import LogFollowUp as LogFollowUp
from desk.db.log_model import LogFund as LogFund
from desk.db.model_base import AnnotatedMixin, SourcedMixin, _pack_fk
from desk.db.model_base import Base as Base
from desk.db.server_model import CatalogueAudit as CatalogueAudit
from desk.db.server_model import ProvisionLog as ProvisionLog
from desk.db.server_model import ServiceWindow as ServiceWindow


class DataPack(Base):
    __tablename__ = "data_pack"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    version: Mapped[str] = mapped_column(String(64))
    source_file: Mapped[str | None] = mapped_column(String(128))
    as_of: Mapped[dt.date | None] = mapped_column(Date)
    as_of_note: Mapped[str | None] = mapped_column(Text)
    fiscal_year: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(Text)
    checksum: Mapped[str] = mapped_column(String(64))  # sha256 of the file as imported
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"DataPack(id={self.id!r}, version={self.version!r}, as_of={self.as_of!r})"


class Plan(SourcedMixin, Base):
    __tablename__ = "plan"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    pack_id: Mapped[str] = _pack_fk()
    name: Mapped[str] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(Text)
    how: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"Plan(id={self.id!r}, name={self.name!r})"


class Situation(SourcedMixin, Base):
    __tablename__ = "situation"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    pack_id: Mapped[str] = _pack_fk()
    name: Mapped[str] = mapped_column(Text)
    choosable: Mapped[bool] = mapped_column(Boolean, default=False)
    step: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Situation(id={self.id!r}, name={self.name!r})"


class Question(SourcedMixin, Base):
    __tablename__ = "question"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    pack_id: Mapped[str] = _pack_fk()
    text: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(16))
    help: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16), default="question")
    implies: Mapped[str | None] = mapped_column(String(64))
    family: Mapped[list[str]] = mapped_column(default=list)
    reason: Mapped[str | None] = mapped_column(Text)
    settled_by: Mapped[list[Any]] = mapped_column(default=list)

    def __repr__(self) -> str:
        return f"Question(id={self.id!r}, type={self.type!r})"


class SmeTable(SourcedMixin, AnnotatedMixin, Base):
    __tablename__ = "sme_table"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    pack_id: Mapped[str] = _pack_fk()
    rows: Mapped[list[Any]] = mapped_column(default=list)          # [{industry, capital_max_yen, employees_max, text}]
    entity_rules: Mapped[list[Any]] = mapped_column(default=list)  # [{entity, employees_max, by_industry, text}]

    def __repr__(self) -> str:
        return f"SmeTable(id={self.id!r}, rows={len(self.rows)})"


class FeeTable(SourcedMixin, AnnotatedMixin, Base):
    """A guarantee association's fee coefficients by instalments (desk.costs.guarantee_fee)."""

    __tablename__ = "fee_table"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    pack_id: Mapped[str] = _pack_fk()
    association: Mapped[str] = mapped_column(String(64))
    rows: Mapped[list[Any]] = mapped_column(default=list)   # [{least, most, equal, unequal, confirmed, text}]

    def __repr__(self) -> str:
        return f"FeeTable(id={self.id!r}, rows={len(self.rows)})"


class Provider(SourcedMixin, AnnotatedMixin, Base):
    __tablename__ = "provider"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    pack_id: Mapped[str] = _pack_fk()
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    prefecture: Mapped[str] = mapped_column(String(16))
    municipality: Mapped[str | None] = mapped_column(String(64))
    sme_table_id: Mapped[str | None] = mapped_column(String(64))
    guarantee_fee_table_id: Mapped[str | None] = mapped_column(String(64))
    general_conditions: Mapped[list[Any]] = mapped_column(default=list)
    documents: Mapped[list[Any]] = mapped_column(default=list)

    def __repr__(self) -> str:
        return f"Provider(id={self.id!r}, name={self.name!r})"


class Program(SourcedMixin, AnnotatedMixin, Base):
    __tablename__ = "program"

    id: Mapped[str] = mapped_column(String(96), primary_key=True)
    pack_id: Mapped[str] = _pack_fk()
    position: Mapped[int] = mapped_column(Integer)  # order in the pack, as in the seed
    provider_id: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    target_text: Mapped[str | None] = mapped_column(Text)
    remarks_text: Mapped[str | None] = mapped_column(Text)
    guarantee: Mapped[str] = mapped_column(String(16))
    edited_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))  # set by admin edits

    variants: Mapped[list[Variant]] = relationship(
        back_populates="program", cascade="all, delete-orphan", order_by="Variant.position",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"Program(id={self.id!r}, name={self.name!r}, variants={len(self.variants)})"


class Variant(SourcedMixin, AnnotatedMixin, Base):
    """One row of a fund whose limit, frame, rate or fee differs from its siblings."""

    __tablename__ = "variant"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    program_id: Mapped[str] = mapped_column(String(96), ForeignKey("program.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(Text)
    target_text: Mapped[str | None] = mapped_column(Text)
    conditions: Mapped[list[Any]] = mapped_column(default=list)
    # Provider-wide checks this variant waives or softens (founders and the 1-year rule).
    general_exceptions: Mapped[list[Any]] = mapped_column(default=list)
    uses: Mapped[list[str]] = mapped_column(default=list)
    uses_text: Mapped[str | None] = mapped_column(Text)
    use_notes: Mapped[list[str]] = mapped_column(default=list)
    limit_yen: Mapped[int | None] = mapped_column(Integer)
    limit_separate: Mapped[bool] = mapped_column(Boolean, default=False)
    limit_includes_existing: Mapped[bool] = mapped_column(Boolean, default=False)
    limit_shared_with: Mapped[list[str]] = mapped_column(default=list)
    limit_note: Mapped[str | None] = mapped_column(Text)
    limit_text: Mapped[str | None] = mapped_column(Text)
    rate_kind: Mapped[str | None] = mapped_column(String(32))
    rate_text: Mapped[str | None] = mapped_column(Text)
    city_share_pct: Mapped[float | None] = mapped_column(Float)
    own_rate_pct: Mapped[float | None] = mapped_column(Float)
    term_min_months: Mapped[int | None] = mapped_column(Integer)
    term_max_months: Mapped[int | None] = mapped_column(Integer)
    grace_months: Mapped[int | None] = mapped_column(Integer)
    bullet_max_months: Mapped[int | None] = mapped_column(Integer)
    repayment: Mapped[list[str]] = mapped_column(default=list)
    term_text: Mapped[str | None] = mapped_column(Text)
    term_by_use: Mapped[dict[str, Any]] = mapped_column(default=dict)
    edited_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    program: Mapped[Program] = relationship(back_populates="variants")
    rate_tiers: Mapped[list[RateTier]] = relationship(
        cascade="all, delete-orphan", order_by="RateTier.position", passive_deletes=True)
    guarantee_fees: Mapped[list[GuaranteeFee]] = relationship(
        cascade="all, delete-orphan", order_by="GuaranteeFee.position", passive_deletes=True)
    fee_adjustments: Mapped[list[FeeAdjustment]] = relationship(
        cascade="all, delete-orphan", order_by="FeeAdjustment.position", passive_deletes=True)
    documents: Mapped[list[Document]] = relationship(
        cascade="all, delete-orphan", order_by="Document.position", passive_deletes=True)

    def __repr__(self) -> str:
        return f"Variant(id={self.id!r}, label={self.label!r}, limit_yen={self.limit_yen!r})"


class RateTier(Base):
    __tablename__ = "rate_tier"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    variant_id: Mapped[str] = mapped_column(String(128), ForeignKey("variant.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    max_months: Mapped[int | None] = mapped_column(Integer)  # None: no upper bound
    rate_pct: Mapped[float | None] = mapped_column(Float)    # None: bank-defined
    city_share_pct: Mapped[float | None] = mapped_column(Float)
    own_rate_pct: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"RateTier(max_months={self.max_months!r}, rate_pct={self.rate_pct!r})"


class GuaranteeFee(Base):
    __tablename__ = "guarantee_fee"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    variant_id: Mapped[str] = mapped_column(String(128), ForeignKey("variant.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    min_pct: Mapped[float] = mapped_column(Float)
    max_pct: Mapped[float] = mapped_column(Float)
    label: Mapped[str | None] = mapped_column(Text)
    subsidised: Mapped[bool] = mapped_column(Boolean, default=False)
    when: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    text: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"GuaranteeFee({self.min_pct!r}–{self.max_pct!r}%, label={self.label!r})"


class FeeAdjustment(Base):
    """A discount (未病改善), surcharge (経営者保証非提供) or alternative scheme."""

    __tablename__ = "fee_adjustment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    variant_id: Mapped[str] = mapped_column(String(128), ForeignKey("variant.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(Text)
    min_pct: Mapped[float | None] = mapped_column(Float)
    max_pct: Mapped[float | None] = mapped_column(Float)
    add_min_pct: Mapped[float | None] = mapped_column(Float)
    add_max_pct: Mapped[float | None] = mapped_column(Float)
    how: Mapped[str | None] = mapped_column(Text)
    when: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    text: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"FeeAdjustment(kind={self.kind!r}, label={self.label!r})"


class Document(Base):
    """A paper to obtain or bring: certificate, confirmation letter, plan, form."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    variant_id: Mapped[str] = mapped_column(String(128), ForeignKey("variant.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(64))  # the document's id within its variant
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    issuer: Mapped[str | None] = mapped_column(String(96))  # an office id or a generic issuer
    confirms_only: Mapped[bool] = mapped_column(Boolean, default=False)
    when: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    text: Mapped[str | None] = mapped_column(Text)
    paper: Mapped[str | None] = mapped_column(String(64))   # what it is, to find the office that issues it

    def __repr__(self) -> str:
        return f"Document(key={self.key!r}, name={self.name!r}, issuer={self.issuer!r})"


class Organisation(SourcedMixin, AnnotatedMixin, Base):
    __tablename__ = "organisation"

    id: Mapped[str] = mapped_column(String(96), primary_key=True)
    pack_id: Mapped[str] = _pack_fk()
    name: Mapped[str] = mapped_column(Text)
    name_current: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(32))
    url: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Organisation(id={self.id!r}, name={self.name!r})"


class Office(SourcedMixin, AnnotatedMixin, Base):
    __tablename__ = "office"

    id: Mapped[str] = mapped_column(String(96), primary_key=True)
    pack_id: Mapped[str] = _pack_fk()
    position: Mapped[int] = mapped_column(Integer)
    organisation_id: Mapped[str | None] = mapped_column(String(96), index=True)
    name: Mapped[str] = mapped_column(Text)
    name_current: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(32), index=True)
    department: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(Text)
    postal_code: Mapped[str | None] = mapped_column(String(8))
    prefecture: Mapped[str | None] = mapped_column(String(16), index=True)
    municipality: Mapped[str | None] = mapped_column(String(64))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    geo_precision_m: Mapped[int | None] = mapped_column(Integer)
    geo_source: Mapped[str | None] = mapped_column(Text)
    hours: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    from_seed: Mapped[bool] = mapped_column(Boolean, default=True)
    issues: Mapped[list[str]] = mapped_column(default=list)  # certifications this office issues (sn5 …)
    edited_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    service_area: Mapped[list[ServiceArea]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceArea.position", passive_deletes=True)

    def __repr__(self) -> str:
        return f"Office(id={self.id!r}, name={self.name!r}, role={self.role!r})"


class ServiceArea(Base):
    """Where an office serves: a prefecture, a municipality, or some towns of one."""

    __tablename__ = "service_area"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[str] = mapped_column(String(96), ForeignKey("office.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    prefecture: Mapped[str] = mapped_column(String(16))
    municipality: Mapped[str | None] = mapped_column(String(64))
    towns: Mapped[list[str] | None] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"ServiceArea({self.prefecture!r}, {self.municipality!r}, towns={self.towns!r})"


class Prefecture(Base):
    __tablename__ = "prefecture"

    code: Mapped[int] = mapped_column(Integer, primary_key=True)
    pack_id: Mapped[str] = _pack_fk()
    name: Mapped[str] = mapped_column(String(16), unique=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    geo_precision_m: Mapped[int | None] = mapped_column(Integer)
    geo_source: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Prefecture({self.code!r}, {self.name!r})"


class Municipality(SourcedMixin, Base):
    __tablename__ = "municipality"
    __table_args__ = (UniqueConstraint("prefecture", "name"),)

    id: Mapped[str] = mapped_column(String(96), primary_key=True)
    pack_id: Mapped[str] = _pack_fk()
    position: Mapped[int] = mapped_column(Integer)
    prefecture: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(64))
    reading: Mapped[str | None] = mapped_column(String(64))   # in hiragana: よこすかし
    city: Mapped[str | None] = mapped_column(String(64))
    ward: Mapped[str | None] = mapped_column(String(32))
    district: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    geo_precision_m: Mapped[int | None] = mapped_column(Integer)
    geo_source: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Municipality({self.prefecture!r}, {self.name!r})"


class PostalCode(Base):
    __tablename__ = "postal_code"

    code: Mapped[str] = mapped_column(String(7), primary_key=True)
    pack_id: Mapped[str] = _pack_fk()
    municipality: Mapped[str] = mapped_column(String(64))
    town: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"PostalCode({self.code!r}, {self.municipality!r}, {self.town!r})"


class PostalPrefix(Base):
    __tablename__ = "postal_prefix"

    prefix: Mapped[str] = mapped_column(String(3), primary_key=True)
    pack_id: Mapped[str] = _pack_fk()
    prefecture: Mapped[str] = mapped_column(String(16))

    def __repr__(self) -> str:
        return f"PostalPrefix({self.prefix!r}, {self.prefecture!r})"
