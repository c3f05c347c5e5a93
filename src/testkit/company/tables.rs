//! The sample company's fixed tables: channels, industries, countries, technologies, buying
//! roles, titles, rejection and loss reasons, name parts, and the weights the generator draws
//! them with.

/// The twelve channels of the sample company, in a fixed order.
pub const CHANNELS: [&str; 12] = [
    "paid_search",
    "paid_social",
    "email",
    "webinar",
    "organic",
    "content",
    "events",
    "partner",
    "referral",
    "direct",
    "display",
    "sdr_outbound",
];

/// How often each channel starts a journey (per [`CHANNELS`] position).
pub(super) const ENTRY_WEIGHTS: [u32; 12] = [18, 12, 4, 3, 16, 8, 2, 3, 5, 12, 8, 4];
/// How often each channel appears later in a journey.
pub(super) const NEXT_WEIGHTS: [u32; 12] = [12, 8, 16, 6, 8, 9, 3, 3, 3, 10, 6, 8];
/// Win-rate lift in per mille when a channel appears in a journey.
pub(super) const WIN_LIFT: [i32; 12] = [10, -20, 20, 60, 0, 20, 70, 80, 60, 10, -30, 50];
/// Monthly media spend per 1,000 leads, in whole dollars (0: no paid program).
pub(super) const SPEND_PER_1000_LEADS: [i64; 12] = [6_000, 4_500, 800, 2_500, 0, 1_500, 5_000, 1_200, 300, 0, 2_000, 0];
/// Channels with named campaigns.
pub(super) const HAS_CAMPAIGNS: [bool; 12] =
    [true, true, true, true, false, true, true, true, false, false, true, true];

/// Industries of the sample accounts.
pub const INDUSTRIES: [&str; 10] = [
    "software",
    "fintech",
    "healthcare",
    "manufacturing",
    "retail",
    "education",
    "logistics",
    "media",
    "government",
    "energy",
];
pub(super) const INDUSTRY_WEIGHTS: [u32; 10] = [20, 10, 12, 12, 10, 8, 8, 8, 6, 6];

/// Countries (ISO 3166 alpha-2) and their sales regions.
pub const COUNTRIES: [(&str, &str); 10] = [
    ("US", "north_america"),
    ("CA", "north_america"),
    ("GB", "europe"),
    ("DE", "europe"),
    ("FR", "europe"),
    ("NL", "europe"),
    ("AU", "apac"),
    ("JP", "apac"),
    ("SG", "apac"),
    ("BR", "latam"),
];
pub(super) const COUNTRY_WEIGHTS: [u32; 10] = [40, 6, 12, 9, 6, 4, 7, 5, 4, 7];

/// Technologies an account may run.
pub const TECHNOLOGIES: [&str; 10] =
    ["salesforce", "hubspot", "marketo", "snowflake", "aws", "azure", "gcp", "segment", "zendesk", "slack"];
pub(super) const TECH_PER_MILLE: [u64; 10] = [350, 250, 120, 150, 450, 250, 200, 100, 200, 500];

/// Buying-group roles, as snake-case keys.
pub const BUYING_ROLES: [&str; 11] = [
    "economic_buyer",
    "champion",
    "coach",
    "decision_maker",
    "technical_evaluator",
    "influencer",
    "end_user",
    "blocker",
    "executive_sponsor",
    "legal_or_procurement",
    "other",
];
pub(super) const TITLES: [(&str, &[usize]); 10] = [
    ("Chief Financial Officer", &[0, 3]),
    ("VP Marketing", &[3, 8]),
    ("Marketing Operations Manager", &[1, 6]),
    ("Director of IT", &[4]),
    ("Head of Sales", &[5, 3]),
    ("Revenue Analyst", &[6]),
    ("Procurement Manager", &[9]),
    ("Security Lead", &[7, 4]),
    ("Senior Consultant", &[2]),
    ("Office Manager", &[10]),
];

/// Rejection reasons at sales acceptance, as snake-case keys, with weights for a poor-fit and
/// a good-fit lead.
pub const REJECTION_REASONS: [(&str, u32, u32); 12] = [
    ("bad_fit", 30, 4),
    ("no_need", 10, 10),
    ("no_budget", 8, 10),
    ("no_authority", 5, 6),
    ("bad_timing", 8, 14),
    ("unreachable", 8, 10),
    ("bad_data", 6, 5),
    ("duplicate", 4, 6),
    ("existing_customer", 2, 5),
    ("competitor", 2, 2),
    ("student_or_personal", 5, 1),
    ("partner_or_vendor", 2, 2),
];
/// Reasons after which a lead goes back to nurture rather than out of the funnel.
pub(super) const RECYCLED_REASONS: [&str; 5] = ["no_need", "no_budget", "no_authority", "bad_timing", "unreachable"];

/// Closed-lost reasons, as snake-case keys, with weights.
pub const LOSS_REASONS: [(&str, u32); 6] = [
    ("price", 22),
    ("competitor", 25),
    ("no_decision", 28),
    ("bad_timing", 12),
    ("missing_features", 9),
    ("bad_fit", 4),
];

pub(super) const ADJECTIVES: [&str; 12] = [
    "Blue", "Northern", "Bright", "Silver", "Quantum", "Granite", "Harbor", "Summit", "Cedar", "Vertex", "Lumen",
    "Atlas",
];
pub(super) const NOUNS: [&str; 12] = [
    "Analytics",
    "Systems",
    "Labs",
    "Logistics",
    "Health",
    "Works",
    "Dynamics",
    "Networks",
    "Foods",
    "Energy",
    "Media",
    "Capital",
];
