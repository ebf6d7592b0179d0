"""Controlled vocabularies of the publiccode.yml standard (https://yml.publiccode.tools).

Kept as data, apart from the rules that use them, so that a new release of the standard is a
change to lists rather than to logic.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SUPPORTED_VERSIONS_TEXT = "0.2, 0.3, 0.4 (optionally with a patch number, such as 0.4.0) or 0"

# The standard's category list (the "categories" vocabulary).
CATEGORIES: frozenset[str] = _words(
    """
    accounting agile-project-management applicant-tracking application-development
    appointment-scheduling backup billing-and-invoicing blog budgeting business-intelligence
    business-process-management cad call-center-management cloud-management collaboration
    communications compliance-management contact-management content-management crm
    customer-service-and-support data-analytics data-collection data-visualization
    digital-asset-management digital-citizenship document-management donor-management e-commerce
    e-signature email-management email-marketing employee-management
    enterprise-project-management enterprise-social-networking erp event-management
    facility-management feedback-and-reviews-management financial-reporting fleet-management
    fundraising gamification geographic-information-systems grant-management graphic-design
    help-desk hr ide instant-messaging inventory-management it-asset-management it-development
    it-management it-security it-service-management knowledge-management
    learning-management-system marketing mind-mapping mobile-marketing mobile-payment
    network-management office online-booking online-community payment-gateway payroll
    predictive-analysis procurement productivity-suite project-collaboration project-management
    property-management real-estate-management remote-support resource-management
    sales-management seo service-desk social-media-management survey talent-management
    task-management taxes-management test-management time-management time-tracking translation
    video-conferencing video-editing visitor-management voip warehouse-management
    web-collaboration web-conferencing website-builder whistleblowing workflow-management
    """
)

DEVELOPMENT_STATUSES: tuple[str, ...] = ("concept", "development", "beta", "stable", "obsolete")

SOFTWARE_TYPES: tuple[str, ...] = (
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
)

MAINTENANCE_TYPES: tuple[str, ...] = ("internal", "contract", "community", "none")

# intendedAudience.scope
SCOPES: frozenset[str] = _words(
    """
    agriculture culture defence education emergency-services employment energy environment
    finance-and-economic-development foreign-affairs government healthcare infrastructures
    justice local-authorities manufacturing research science-and-technology security society
    sport tourism transportation welfare
    """
)

# ISO 3166-1 alpha-2: the officially assigned codes.
COUNTRIES: frozenset[str] = _words(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
    BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
    CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
    DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET
    FI FJ FK FM FO FR
    GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
    HK HM HN HR HT HU
    ID IE IL IM IN IO IQ IR IS IT
    JE JM JO JP
    KE KG KH KI KM KN KP KR KW KY KZ
    LA LB LC LI LK LR LS LT LU LV LY
    MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
    NA NC NE NF NG NI NL NO NP NR NU NZ
    OM
    PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA
    RE RO RS RU RW
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
    TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
    UA UG UM US UY UZ
    VA VC VE VG VI VN VU
    WF WS
    YE YT
    ZA ZM ZW
    """
)

# Codes people often write that ISO 3166-1 reserves for other uses.
COUNTRY_HINTS: dict[str, str] = {"UK": "GB", "EL": "GR", "EU": ""}

# The Local Digital Hub's own `uk` section: standards and services a product supports.
UK_SUPPORTS: tuple[str, ...] = (
    "tcop",
    "service-standard",
    "wcag-2.2",
    "uk-gdpr",
    "gov-uk-notify",
    "gov-uk-pay",
    "cyber-essentials",
)

DEPENDENCY_KINDS: tuple[str, ...] = ("open", "proprietary", "hardware")

# Top-level keys in the order the standard's example shows them; the exporter writes this order.
TOP_LEVEL_ORDER: tuple[str, ...] = (
    "publiccodeYmlVersion",
    "name",
    "applicationSuite",
    "url",
    "landingURL",
    "isBasedOn",
    "softwareVersion",
    "releaseDate",
    "logo",
    "monochromeLogo",
    "platforms",
    "categories",
    "usedBy",
    "fundedBy",
    "roadmap",
    "developmentStatus",
    "softwareType",
    "inputTypes",
    "outputTypes",
    "intendedAudience",
    "description",
    "legal",
    "maintenance",
    "localisation",
    "dependsOn",
    "it",
    "IT",
    "uk",
    "organisation",
)

DESCRIPTION_ORDER: tuple[str, ...] = (
    "localisedName",
    "genericName",
    "shortDescription",
    "longDescription",
    "documentation",
    "apiDocumentation",
    "features",
    "screenshots",
    "videos",
    "awards",
)
