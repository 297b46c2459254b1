//! Shape validation: is this a well-formed item? (Whether it is *right* is the lint's job.)
//!
//! Every problem names the field it is about, as a path like `materials[2].name`, so the
//! API can answer 400 with that path and the editor can point at the input.

use serde::Serialize;

use crate::calendar::date::Date;
use crate::catalog::code::ItemCode;
use crate::catalog::item::Item;
use crate::field_path::FieldPath;

/// Longest free text accepted in any field; guides are read on phones.
pub const MAX_TEXT: usize = 2000;
/// Limits above this many days are not a time limit but a typo.
pub const MAX_LIMIT_DAYS: u32 = 3650;

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: FieldPath,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<FieldPath>, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Default)]
struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn fail(&mut self, field: impl Into<FieldPath>, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    fn text(&mut self, field: impl Into<FieldPath>, value: &str, required: bool) {
        let field = field.into();
        if required && value.trim().is_empty() {
            self.fail(field, "不能为空");
        } else if value.chars().count() > MAX_TEXT {
            self.fail(field, format!("不能超过 {MAX_TEXT} 字"));
        }
    }

    fn opt_text(&mut self, field: impl Into<FieldPath>, value: &Option<String>) {
        if let Some(v) = value {
            self.text(field, v, true);
        }
    }

    /// Links in a guide open from a QR scan: only http(s) or a site path, never
    /// `javascript:` or `data:`.
    fn link(&mut self, field: impl Into<FieldPath>, value: &Option<String>) {
        let field = field.into();
        if let Some(v) = value {
            let ok = v.starts_with("https://")
                || v.starts_with("http://")
                || (v.starts_with('/') && !v.starts_with("//"));
            if !ok || v.chars().any(|c| c.is_whitespace() || c == '"' || c == '<') {
                self.fail(
                    field.clone(),
                    "链接应以 https:// 或 / 开头，且不含空格和引号",
                );
            }
            self.text(field, v, true);
        }
    }

    /// A blank date is a gap for the lint; a date that cannot be read is refused.
    fn date(&mut self, field: impl Into<FieldPath>, value: &str) {
        if value.trim().is_empty() {
            return;
        }
        if let Err(e) = Date::parse(value) {
            self.fail(field, e.to_string());
        }
    }
}

/// Checks that an item can be stored and shown safely: a canonical code, a name, no text
/// over the length bound, no unsafe link, readable dates, sane limits. Empty result: it
/// can be kept as a draft. Whether it is *complete* and consistent is the lint's job
/// (rule 13 names every gap), so incomplete real-world guides become drafts, not refusals.
pub fn validate_item(item: &Item) -> Vec<FieldError> {
    let mut c = Checker::default();
    match ItemCode::parse(&item.code) {
        Ok(code) if code.as_str() == item.code => {}
        Ok(_) => c.fail("code", "事项编码应使用大写字母"),
        Err(e) => c.fail("code", e.to_string()),
    }
    c.text("name", &item.name, true);
    if item.name.chars().count() > 100 {
        c.fail("name", "事项名称不能超过 100 字");
    }
    let at = |list: &str, i: usize, key: &str| FieldPath::new(list).index(i).key(key);
    c.text("department", &item.department, false);
    c.text("hall", &item.hall, false);
    c.text("zone", &item.zone, false);
    c.text("window", &item.window, false);
    for (i, t) in item.topics.iter().enumerate() {
        c.text(FieldPath::new("topics").index(i), t, false);
    }
    for (i, k) in item.keywords.iter().enumerate() {
        c.text(FieldPath::new("keywords").index(i), k, false);
    }
    if item.version == 0 {
        c.fail("version", "版本号从 1 开始");
    }
    c.date("updated_at", &item.updated_at);
    c.date("reviewed_at", &item.reviewed_at);

    for (field, limit) in [
        ("legal_limit", &item.legal_limit),
        ("promised_limit", &item.promised_limit),
    ] {
        if limit.value > MAX_LIMIT_DAYS {
            c.fail(
                FieldPath::new(field).key("value"),
                format!("时限不能超过 {MAX_LIMIT_DAYS} 日"),
            );
        }
    }
    c.opt_text("limit_note", &item.limit_note);
    c.opt_text("visit_reason", &item.visit_reason);
    if item.visits > 10 {
        c.fail("visits", "到现场次数不能超过 10 次");
    }
    if let Some(url) = &item.online_url {
        c.link("online_url.pc", &url.pc);
        c.link("online_url.mobile", &url.mobile);
    }
    c.opt_text("appointment", &item.appointment);
    if let Some(proxy) = &item.proxy {
        c.opt_text("proxy.material", &proxy.material);
        c.opt_text("proxy.note", &proxy.note);
    }

    for (i, cond) in item.conditions.iter().enumerate() {
        c.text(FieldPath::new("conditions").index(i), cond, false);
    }
    for (i, step) in item.steps.iter().enumerate() {
        c.text(at("steps", i, "name"), &step.name, false);
        c.text(at("steps", i, "who"), &step.who, false);
        c.text(at("steps", i, "limit"), &step.limit, false);
        c.text(at("steps", i, "standard"), &step.standard, false);
    }
    if let Some(result) = &item.result {
        c.text("result.name", &result.name, false);
        c.link("result.sample", &result.sample);
    }
    for (i, m) in item.materials.iter().enumerate() {
        c.text(at("materials", i, "name"), &m.name, false);
        c.opt_text(at("materials", i, "optional_when"), &m.optional_when);
        c.opt_text(at("materials", i, "needed_when"), &m.needed_when);
        if let crate::catalog::item::MaterialSource::Government { issuer } = &m.source {
            c.text(at("materials", i, "source").key("issuer"), issuer, false);
        }
        c.link(at("materials", i, "blank_form"), &m.blank_form);
        c.link(at("materials", i, "sample"), &m.sample);
        c.opt_text(at("materials", i, "note"), &m.note);
    }
    for (i, fee) in item.fees.items.iter().enumerate() {
        let fee_at = |key: &str| FieldPath::new("fees").key("items").index(i).key(key);
        c.text(fee_at("item"), &fee.item, false);
        c.text(fee_at("standard"), &fee.standard, false);
        c.text(fee_at("basis"), &fee.basis, false);
    }

    c.text("place.address", &item.place.address, false);
    c.opt_text("place.hours_note", &item.place.hours_note);
    c.opt_text("place.directions", &item.place.directions);
    c.text("consult_phone", &item.consult_phone, false);
    c.text("complain_phone", &item.complain_phone, false);
    for (i, f) in item.faq.iter().enumerate() {
        c.text(at("faq", i, "q"), &f.q, false);
        c.text(at("faq", i, "a"), &f.a, false);
    }
    for (i, b) in item.legal_basis.iter().enumerate() {
        c.text(at("legal_basis", i, "law"), &b.law, false);
        c.text(at("legal_basis", i, "article"), &b.article, false);
        c.text(at("legal_basis", i, "text"), &b.text, false);
    }
    if let Some(w) = &item.withdrawn {
        c.text("withdrawn.reason", &w.reason, false);
        c.text("withdrawn.instead", &w.instead, false);
        if let Some(code) = &w.replaced_by {
            if !ItemCode::parse(code).is_ok_and(|parsed| parsed.as_str() == code) {
                c.fail("withdrawn.replaced_by", "应为有效的事项编码");
            }
        }
    }
    c.errors
}

/// Parses item JSON, naming the field that failed to parse, then checks its shape.
pub fn parse_item(json: &str) -> Result<Item, Vec<FieldError>> {
    let de = &mut serde_json::Deserializer::from_str(json);
    let item: Item = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." {
            FieldPath::default()
        } else {
            FieldPath::from(path)
        };
        vec![FieldError::new(field, e.into_inner().to_string())]
    })?;
    let errors = validate_item(&item);
    if errors.is_empty() {
        Ok(item)
    } else {
        Err(errors)
    }
}
