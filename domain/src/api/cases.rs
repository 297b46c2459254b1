//! The bodies of the case endpoints that staff clients read: the hall's list, a new
//! case with its receipt, and a receipt printed again at the desk.

use serde::{Deserialize, Serialize};

use crate::calendar::Date;
use crate::cases::{Case, CaseRow, Progress, ProxyRequest, ProxyRow};

/// A hall's cases as staff chase them (`cases::sort_for_staff`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseList {
    pub hall: String,
    pub today: Date,
    pub cases: Vec<CaseRow>,
}

/// A case just accepted (受理): what the window prints and hands over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accepted {
    /// The receipt number as printed.
    pub number: String,
    pub query_code: String,
    pub due: Date,
    /// Page the window prints for the applicant (the query code travels in the fragment).
    pub receipt_url: String,
    pub case: Case,
}

/// What the desk prints as the receipt (受理通知单), again if need be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskReceipt {
    pub progress: Progress,
    pub query_code: String,
    /// The receipt's QR code (SVG), leading to the progress page with the code.
    pub qr_svg: String,
}

/// A 代办 request just registered (or its slip printed again): what the agent prints for
/// the villager — the 委托书 and the checklist, with the number and query code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyIssued {
    /// As printed, in groups.
    pub number: String,
    pub query_code: String,
    pub request: ProxyRequest,
    /// The lookup QR (number and query code in its fragment), as SVG.
    pub qr_svg: String,
}

/// A desk's 代办 requests: a village's own, or those handed to a hall
/// (`cases::proxy::sort_proxy_rows`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyList {
    pub hall: String,
    /// The hall is a village service point (its agents' requests), not a receiving hall.
    pub at_village: bool,
    pub requests: Vec<ProxyRow>,
}
