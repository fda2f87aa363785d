"""The closed vocabularies shared by intake files, data packs and the engine, and the few
ids and place names the code itself must know.

Each vocabulary is a mapping from the code used in files to the Japanese label shown to
people; INTAKE.md is the public contract these codes come from. The ids below name
records of the bundled packs (resources/data) that code treats specially; each says
which pack and seed it refers to, so a pack that renames one is a change here too.
"""

from __future__ import annotations

# The prefecture desk serves: its funds (pack kanagawa-fy2026), its contacts (kanagawa-contacts)
# and its postal codes (postal-kanagawa). A place elsewhere is referred to that prefecture's desks.
HOME_PREFECTURE = "神奈川県"
# The provider whose SME table sizes the visitor (pack kanagawa-fy2026, seed 002).
HOME_PROVIDER_ID = "kanagawa"
# 日産自動車関連対策特別融資 (pack kanagawa-fy2026, seed 002): the form shows its sales tests ① and ②
# beside the monthly figures.
NISSAN_FUND_ID = "kanagawa.nissan.main"
# がんばる中小企業 経営相談ホットライン (pack national-directory, seed 001): every referral lists it
# for questions later, and the sheet prints it apart.
HOTLINE_OFFICE_ID = "smrj.hotline"
# 全国信用保証協会連合会 (pack national-directory, seed 001): its page of the nearest guarantee
# association, for a visitor from another prefecture.
NEAREST_GUARANTEE_PAGE_ID = "national.zenshinhoren"
# 神奈川産業振興センター よろず・ワンストップ相談窓口 (pack kanagawa-contacts, seed 000): one of the
# special windows of the 2025-07-16 release that the leaflet lists.
YOROZU_OFFICE_ID = "kip.yorozu"

ENTITIES: dict[str, str] = {
    "corporation": "会社（法人）",
    "sole_proprietor": "個人事業者",
    "cooperative": "協同組合等",
    "npo": "NPO法人",
    "medical_corporation": "医療法人",
    "prospective_founder": "これから創業する方",
}

INDUSTRIES: dict[str, str] = {
    "manufacturing": "製造業",
    "wholesale": "卸売業",
    "retail": "小売業",
    "restaurant": "飲食店（小売業に含む）",
    "service": "サービス業",
    "ryokan": "旅館業",
    "software": "ソフトウェア業・情報処理サービス業",
    "rubber": "ゴム製品製造業（タイヤ・チューブ・工業用ベルトを除く）",
    "construction": "建設業",
    "transport": "運送業",
    "real_estate": "不動産業",
    "medical": "医業",
    "other": "その他の業種",
    "excluded": "信用保険の対象外業種",
}

# Wholesale, retail (with restaurants) and services have the smaller micro and
# small-business limits (5 / 10 instead of 20 / 30 employees).
COMMERCE_INDUSTRIES: frozenset[str] = frozenset({"wholesale", "retail", "restaurant", "service"})

PURPOSES: dict[str, str] = {
    "working": "運転資金",
    "equipment": "設備資金",
    "refinance": "借換",
    "other": "その他",
}

CAUSES: dict[str, str] = {
    "nissan": "日産自動車追浜工場・日産車体湘南工場の生産終了等",
    "materials": "原油・原材料価格の高騰等",
    "tariff": "米国の関税措置",
    "disaster": "自然災害等",
    "customer_bankruptcy": "取引先の倒産",
}

# What became of a consultation, entered later from the log (its follow-up): the fund applied for,
# the loan made, declined, not yet known.
FOLLOW_UPS: dict[str, str] = {
    "applied": "申込済",
    "executed": "実行",
    "declined": "謝絶",
    "undecided": "未定",
}

# What the log is counted by (`desk log stats --by`, the monthly report), and its heading.
LOG_DIMENSIONS = {"day": "日", "month": "月", "cause": "原因", "industry": "業種", "municipality": "所在地",
                  "window": "窓口", "fund": "紹介した資金", "follow_up": "その後"}

CERTIFICATIONS: dict[str, str] = {
    **{f"sn{n}": f"セーフティネット保証{n}号の認定" for n in range(1, 9)},
    "crisis": "危機関連保証の認定",
    "disaster_certificate": "罹災証明書",
}

# Papers a municipality issues besides the certifications above: a document names the paper it
# is, and an office lists the papers it issues, so the to-do goes to the right section.
PAPERS: dict[str, str] = {
    **CERTIFICATIONS,
    "tokutei_sogyo_shien_certificate": "認定特定創業支援等事業の証明書",
}

# Built-in plan ids (INTAKE.md); packs may declare more in their `plans` section.
BUILTIN_PLANS: tuple[str, ...] = (
    "keiei_ryoku_kojo", "sentan_setsubi", "keiei_kakushin", "jigyo_keizoku_ryoku",
    "renkei_jigyo_keizoku_ryoku", "bcp", "kanagawa_sdgs_partner", "partnership_declaration",
    "sagamihara_sdgs_certified", "tokutei_sogyo_shien", "innovation_strategic",
    "ondanka_keikakusho", "eco_action_21",
)

ROLES: dict[str, str] = {
    "guarantee_branch": "信用保証協会",
    "chamber": "商工会議所・商工会",
    "municipality": "市区町村（認定・確認書）",
    "window": "特別相談窓口",
    "prefecture": "都道府県の担当課",
    "support_center": "中小企業支援センター等",
    "revitalization": "中小企業活性化協議会",
    "succession": "事業承継・引継ぎ支援センター",
    "federation": "中小企業団体中央会",
    "national": "国・全国団体",
    "jetro": "ジェトロ",
    "lender": "金融機関",
    "other": "その他",
}

PROVIDER_KINDS: dict[str, str] = {"prefecture": "都道府県", "city": "市町村"}
PROGRAM_KINDS: dict[str, str] = {"loan": "融資", "interest_subsidy": "利子補給"}
GUARANTEE: dict[str, str] = {"required": "保証付き", "optional": "保証は金融機関の任意", "none": "保証なし"}
RATE_KINDS: dict[str, str] = {
    "fixed_cap": "固定金利（上限）",
    "bank_defined": "金融機関所定",
    "variable_allowed": "固定（変動金利も可）",
}
REPAYMENT: dict[str, str] = {"installment": "割賦返済", "bullet": "一括返済", "overdraft": "当座貸越"}
DOCUMENT_KINDS: dict[str, str] = {
    "certificate": "認定書・証明書",
    "confirmation": "確認書",
    "plan": "計画書・承認書",
    "registration": "登録",
    "form": "所定の書式",
    "tax": "税務書類",
    "other": "その他",
}
# Document issuers that are resolved per visitor rather than naming one office.
GENERIC_ISSUERS: dict[str, str] = {
    "municipality": "事業所のある市区町村",
    "bank": "取扱金融機関",
    "guarantee_association": "信用保証協会",
    "applicant": "ご自身で用意",
}
FEE_ADJUSTMENT_KINDS: dict[str, str] = {"discount": "割引", "surcharge": "上乗せ", "alternative": "別の保証制度"}
# The guarantee-fee options a visitor may weigh (INTAKE.md `fee_options`), by the scheme's name as
# the seeds write it. A fund offers an option when one of its packs' `fee_adjustments` carries
# that name as its label, alone or with a qualifier in brackets (「企業経営の未病改善（ミニ）」); the
# rates are the adjustment's (pack data), never code's.
FEE_OPTIONS: dict[str, str] = {
    "no_personal_guarantee": "事業者選択型経営者保証非提供制度",   # seed 002 注5
    "mibyo_kaizen": "企業経営の未病改善",                           # seed 002 注4
    "startup_guarantee": "スタートアップ創出促進保証",               # seed 002 創業支援融資
}
# What a pack's question stands for (INTAKE.md): a plan or a situation it implies, or a detail
# asked inside a family of funds.
QUESTION_KINDS: dict[str, str] = {"plan": "計画・認定・取組", "situation": "事情", "question": "質問"}

QUESTION_TYPES: dict[str, str] = {
    "bool": "はい／いいえ", "yen": "金額（円）", "pct": "割合（％）", "months": "月数", "text": "文章",
}
MUNICIPALITY_KINDS: dict[str, str] = {
    "designated_city": "政令指定都市", "ward": "区", "city": "市", "town": "町", "village": "村",
}
SALES_PERIODS: dict[str, str] = {
    "last_1m": "最近1か月",
    "last_3m": "最近3か月",
    "last_6m": "最近6か月",
    "next_3m_forecast": "最近1か月とその後2か月の見込み",
    "last_fy": "最近の決算期",
}
