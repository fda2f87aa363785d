"""catalogue, geography and consultation log

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 19:18:36.133917
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('consultation',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('reference_no', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('evaluated_on', sa.Date(), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('window_name', sa.Text(), nullable=True),
    sa.Column('staff_name', sa.Text(), nullable=True),
    sa.Column('business_name', sa.Text(), nullable=True),
    sa.Column('visitor_name', sa.Text(), nullable=True),
    sa.Column('visitor_phone', sa.Text(), nullable=True),
    sa.Column('industry', sa.String(length=32), nullable=True),
    sa.Column('municipality', sa.String(length=64), nullable=True),
    sa.Column('causes', sa.JSON(), nullable=False),
    sa.Column('intake', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('pack_versions', sa.JSON(), nullable=False),
    sa.Column('exported_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('reference_no')
    )
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_created_at'), ['created_at'], unique=False)

    op.create_table('data_pack',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('source_file', sa.String(length=128), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.Column('as_of_note', sa.Text(), nullable=True),
    sa.Column('fiscal_year', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('file_name', sa.Text(), nullable=True),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('municipality',
    sa.Column('id', sa.String(length=96), nullable=False),
    sa.Column('pack_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('prefecture', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('city', sa.String(length=64), nullable=True),
    sa.Column('ward', sa.String(length=32), nullable=True),
    sa.Column('district', sa.String(length=32), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('geo_precision_m', sa.Integer(), nullable=True),
    sa.Column('geo_source', sa.Text(), nullable=True),
    sa.Column('source_file', sa.String(length=128), nullable=True),
    sa.Column('source_section', sa.Text(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['pack_id'], ['data_pack.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('prefecture', 'name')
    )
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_municipality_pack_id'), ['pack_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_municipality_prefecture'), ['prefecture'], unique=False)

    op.create_table('office',
    sa.Column('id', sa.String(length=96), nullable=False),
    sa.Column('pack_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.String(length=96), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('name_current', sa.Text(), nullable=True),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('department', sa.Text(), nullable=True),
    sa.Column('phone', sa.String(length=64), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('postal_code', sa.String(length=8), nullable=True),
    sa.Column('prefecture', sa.String(length=16), nullable=True),
    sa.Column('municipality', sa.String(length=64), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('geo_precision_m', sa.Integer(), nullable=True),
    sa.Column('geo_source', sa.Text(), nullable=True),
    sa.Column('hours', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('from_seed', sa.Boolean(), nullable=False),
    sa.Column('issues', sa.JSON(), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('source_file', sa.String(length=128), nullable=True),
    sa.Column('source_section', sa.Text(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('interpretations', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['pack_id'], ['data_pack.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_office_pack_id'), ['pack_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_office_prefecture'), ['prefecture'], unique=False)
        batch_op.create_index(batch_op.f('ix_office_role'), ['role'], unique=False)

    op.create_table('organisation',
    sa.Column('id', sa.String(length=96), nullable=False),
    sa.Column('pack_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('name_current', sa.Text(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('source_file', sa.String(length=128), nullable=True),
    sa.Column('source_section', sa.Text(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('interpretations', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['pack_id'], ['data_pack.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_pack_id'), ['pack_id'], unique=False)

    op.create_table('plan',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('pack_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('issuer', sa.Text(), nullable=True),
    sa.Column('how', sa.Text(), nullable=True),
    sa.Column('source_file', sa.String(length=128), nullable=True),
    sa.Column('source_section', sa.Text(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['pack_id'], ['data_pack.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_pack_id'), ['pack_id'], unique=False)

    op.create_table('postal_code',
    sa.Column('code', sa.String(length=7), nullable=False),
    sa.Column('pack_id', sa.String(length=64), nullable=False),
    sa.Column('municipality', sa.String(length=64), nullable=False),
    sa.Column('town', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['pack_id'], ['data_pack.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('postal_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_postal_code_pack_id'), ['pack_id'], unique=False)

    op.create_table('postal_prefix',
    sa.Column('prefix', sa.String(length=3), nullable=False),
    sa.Column('pack_id', sa.String(length=64), nullable=False),
    sa.Column('prefecture', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['pack_id'], ['data_pack.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('prefix')
    )
    with op.batch_alter_table('postal_prefix', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_postal_prefix_pack_id'), ['pack_id'], unique=False)

    op.create_table('prefecture',
    sa.Column('code', sa.Integer(), nullable=False),
    sa.Column('pack_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=16), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('geo_precision_m', sa.Integer(), nullable=True),
    sa.Column('geo_source', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['pack_id'], ['data_pack.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code'),
    sa.UniqueConstraint('name')
    )
    with op.batch_alter_table('prefecture', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prefecture_pack_id'), ['pack_id'], unique=False)

    op.create_table('program',
    sa.Column('id', sa.String(length=96), nullable=False),
    sa.Column('pack_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('category', sa.Text(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('target_text', sa.Text(), nullable=True),
    sa.Column('remarks_text', sa.Text(), nullable=True),
    sa.Column('guarantee', sa.String(length=16), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('source_file', sa.String(length=128), nullable=True),
    sa.Column('source_section', sa.Text(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('interpretations', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['pack_id'], ['data_pack.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_pack_id'), ['pack_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_program_provider_id'), ['provider_id'], unique=False)

    op.create_table('provider',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('pack_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('prefecture', sa.String(length=16), nullable=False),
    sa.Column('municipality', sa.String(length=64), nullable=True),
    sa.Column('sme_table_id', sa.String(length=64), nullable=True),
    sa.Column('general_conditions', sa.JSON(), nullable=False),
    sa.Column('documents', sa.JSON(), nullable=False),
    sa.Column('source_file', sa.String(length=128), nullable=True),
    sa.Column('source_section', sa.Text(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('interpretations', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['pack_id'], ['data_pack.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('provider', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provider_pack_id'), ['pack_id'], unique=False)

    op.create_table('question',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('pack_id', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('help', sa.Text(), nullable=True),
    sa.Column('source_file', sa.String(length=128), nullable=True),
    sa.Column('source_section', sa.Text(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['pack_id'], ['data_pack.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_pack_id'), ['pack_id'], unique=False)

    op.create_table('sme_table',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('pack_id', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('entity_rules', sa.JSON(), nullable=False),
    sa.Column('source_file', sa.String(length=128), nullable=True),
    sa.Column('source_section', sa.Text(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('interpretations', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['pack_id'], ['data_pack.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sme_table', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sme_table_pack_id'), ['pack_id'], unique=False)

    op.create_table('service_area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.String(length=96), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('prefecture', sa.String(length=16), nullable=False),
    sa.Column('municipality', sa.String(length=64), nullable=True),
    sa.Column('towns', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('service_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_area_office_id'), ['office_id'], unique=False)

    op.create_table('variant',
    sa.Column('id', sa.String(length=128), nullable=False),
    sa.Column('program_id', sa.String(length=96), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.Text(), nullable=True),
    sa.Column('target_text', sa.Text(), nullable=True),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('general_exceptions', sa.JSON(), nullable=False),
    sa.Column('uses', sa.JSON(), nullable=False),
    sa.Column('uses_text', sa.Text(), nullable=True),
    sa.Column('use_notes', sa.JSON(), nullable=False),
    sa.Column('limit_yen', sa.Integer(), nullable=True),
    sa.Column('limit_separate', sa.Boolean(), nullable=False),
    sa.Column('limit_includes_existing', sa.Boolean(), nullable=False),
    sa.Column('limit_shared_with', sa.JSON(), nullable=False),
    sa.Column('limit_note', sa.Text(), nullable=True),
    sa.Column('limit_text', sa.Text(), nullable=True),
    sa.Column('rate_kind', sa.String(length=32), nullable=True),
    sa.Column('rate_text', sa.Text(), nullable=True),
    sa.Column('city_share_pct', sa.Float(), nullable=True),
    sa.Column('own_rate_pct', sa.Float(), nullable=True),
    sa.Column('term_min_months', sa.Integer(), nullable=True),
    sa.Column('term_max_months', sa.Integer(), nullable=True),
    sa.Column('grace_months', sa.Integer(), nullable=True),
    sa.Column('bullet_max_months', sa.Integer(), nullable=True),
    sa.Column('repayment', sa.JSON(), nullable=False),
    sa.Column('term_text', sa.Text(), nullable=True),
    sa.Column('term_by_use', sa.JSON(), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('source_file', sa.String(length=128), nullable=True),
    sa.Column('source_section', sa.Text(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('interpretations', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('variant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_variant_program_id'), ['program_id'], unique=False)

    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.String(length=128), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('issuer', sa.String(length=96), nullable=True),
    sa.Column('confirms_only', sa.Boolean(), nullable=False),
    sa.Column('when', sa.JSON(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['variant_id'], ['variant.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_variant_id'), ['variant_id'], unique=False)

    op.create_table('fee_adjustment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.String(length=128), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('label', sa.Text(), nullable=False),
    sa.Column('min_pct', sa.Float(), nullable=True),
    sa.Column('max_pct', sa.Float(), nullable=True),
    sa.Column('add_min_pct', sa.Float(), nullable=True),
    sa.Column('add_max_pct', sa.Float(), nullable=True),
    sa.Column('how', sa.Text(), nullable=True),
    sa.Column('when', sa.JSON(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['variant_id'], ['variant.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('fee_adjustment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fee_adjustment_variant_id'), ['variant_id'], unique=False)

    op.create_table('guarantee_fee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.String(length=128), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('min_pct', sa.Float(), nullable=False),
    sa.Column('max_pct', sa.Float(), nullable=False),
    sa.Column('label', sa.Text(), nullable=True),
    sa.Column('subsidised', sa.Boolean(), nullable=False),
    sa.Column('when', sa.JSON(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['variant_id'], ['variant.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('guarantee_fee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guarantee_fee_variant_id'), ['variant_id'], unique=False)

    op.create_table('rate_tier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.String(length=128), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('max_months', sa.Integer(), nullable=True),
    sa.Column('rate_pct', sa.Float(), nullable=True),
    sa.Column('city_share_pct', sa.Float(), nullable=True),
    sa.Column('own_rate_pct', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['variant_id'], ['variant.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rate_tier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_tier_variant_id'), ['variant_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('rate_tier', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_tier_variant_id'))

    op.drop_table('rate_tier')
    with op.batch_alter_table('guarantee_fee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guarantee_fee_variant_id'))

    op.drop_table('guarantee_fee')
    with op.batch_alter_table('fee_adjustment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fee_adjustment_variant_id'))

    op.drop_table('fee_adjustment')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_variant_id'))

    op.drop_table('document')
    with op.batch_alter_table('variant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_variant_program_id'))

    op.drop_table('variant')
    with op.batch_alter_table('service_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_area_office_id'))

    op.drop_table('service_area')
    with op.batch_alter_table('sme_table', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sme_table_pack_id'))

    op.drop_table('sme_table')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_pack_id'))

    op.drop_table('question')
    with op.batch_alter_table('provider', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provider_pack_id'))

    op.drop_table('provider')
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_provider_id'))
        batch_op.drop_index(batch_op.f('ix_program_pack_id'))

    op.drop_table('program')
    with op.batch_alter_table('prefecture', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prefecture_pack_id'))

    op.drop_table('prefecture')
    with op.batch_alter_table('postal_prefix', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_postal_prefix_pack_id'))

    op.drop_table('postal_prefix')
    with op.batch_alter_table('postal_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_postal_code_pack_id'))

    op.drop_table('postal_code')
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_pack_id'))

    op.drop_table('plan')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_pack_id'))

    op.drop_table('organisation')
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_office_role'))
        batch_op.drop_index(batch_op.f('ix_office_prefecture'))
        batch_op.drop_index(batch_op.f('ix_office_pack_id'))
        batch_op.drop_index(batch_op.f('ix_office_organisation_id'))

    op.drop_table('office')
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_municipality_prefecture'))
        batch_op.drop_index(batch_op.f('ix_municipality_pack_id'))

    op.drop_table('municipality')
    op.drop_table('data_pack')
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_created_at'))

    op.drop_table('consultation')
