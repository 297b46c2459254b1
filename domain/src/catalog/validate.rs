//! Shape validation: is this a well-formed item? (Whether it is *right* is the lint's job.)
//!
//! Every problem names the field it is about, as a path like `materials[2].name`, so the
//! API can answer 400 with that path and the editor can point at the input.

use serde::Serialize;

use crate::calendar::date::Date;
use crate::catalog::code::ItemCode;
use crate::catalog::hours::parse_hhmm;
use crate::catalog::item::{Channel, Item};
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

    fn date(&mut self, field: impl Into<FieldPath>, value: &str) {
        if let Err(e) = Date::parse(value) {
            self.fail(field, e.to_string());
        }
    }
}

/// Checks the shape of an item. Empty result: well-formed.
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
    c.text("department", &item.department, true);
    c.text("hall", &item.hall, true);
    c.text("zone", &item.zone, true);
    c.text("window", &item.window, true);
    for (i, t) in item.topics.iter().enumerate() {
        c.text(FieldPath::new("topics").index(i), t, true);
    }
    for (i, k) in item.keywords.iter().enumerate() {
        c.text(FieldPath::new("keywords").index(i), k, true);
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

    if item.channels.is_empty() {
        c.fail("channels", "至少需要一种办理形式");
    }
    for (i, ch) in item.channels.iter().enumerate() {
        if item.channels[..i].contains(ch) {
            c.fail(FieldPath::new("channels").index(i), "办理形式重复");
        }
    }
    match (item.has_channel(Channel::Online), item.online_depth) {
        (true, None) => c.fail("online_depth", "网上办理需填写网上办理深度"),
        (false, Some(_)) => c.fail("online_depth", "未开通网上办理，不应填写网上办理深度"),
        _ => {}
    }
    if let Some(url) = &item.online_url {
        c.link("online_url.pc", &url.pc);
        c.link("online_url.mobile", &url.mobile);
        if url.pc.is_none() && url.mobile.is_none() {
            c.fail("online_url", "网上办理地址至少填写一个");
        }
    }
    c.opt_text("appointment", &item.appointment);
    if let Some(proxy) = &item.proxy {
        c.opt_text("proxy.material", &proxy.material);
        c.opt_text("proxy.note", &proxy.note);
    }

    for (i, cond) in item.conditions.iter().enumerate() {
        c.text(FieldPath::new("conditions").index(i), cond, true);
    }
    for (i, step) in item.steps.iter().enumerate() {
        c.text(
            FieldPath::new("steps").index(i).key("name"),
            &step.name,
            true,
        );
        c.text(FieldPath::new("steps").index(i).key("who"), &step.who, true);
        c.text(
            FieldPath::new("steps").index(i).key("limit"),
            &step.limit,
            true,
        );
        c.text(
            FieldPath::new("steps").index(i).key("standard"),
            &step.standard,
            false,
        );
    }
    if let Some(result) = &item.result {
        c.text("result.name", &result.name, true);
        c.link("result.sample", &result.sample);
    }
    for (i, m) in item.materials.iter().enumerate() {
        let at = |f: &str| FieldPath::new("materials").index(i).key(f);
        c.text(at("name"), &m.name, true);
        c.opt_text(at("optional_when"), &m.optional_when);
        if let crate::catalog::item::MaterialSource::Government { issuer } = &m.source {
            c.text(at("source").key("issuer"), issuer, true);
        }
        c.link(at("blank_form"), &m.blank_form);
        c.link(at("sample"), &m.sample);
        c.opt_text(at("note"), &m.note);
    }
    for (i, fee) in item.fees.items.iter().enumerate() {
        c.text(
            FieldPath::new("fees").key("items").index(i).key("item"),
            &fee.item,
            false,
        );
        c.text(
            FieldPath::new("fees").key("items").index(i).key("standard"),
            &fee.standard,
            false,
        );
        c.text(
            FieldPath::new("fees").key("items").index(i).key("basis"),
            &fee.basis,
            false,
        );
    }

    c.text("place.address", &item.place.address, true);
    if item.place.hours.is_empty() {
        c.fail("place.hours", "请填写办公时间");
    }
    for (i, span) in item.place.hours.iter().enumerate() {
        let at = |f: &str| FieldPath::new("place").key("hours").index(i).key(f);
        if span.weekdays.is_empty() || span.weekdays.iter().any(|d| !(1..=7).contains(d)) {
            c.fail(at("weekdays"), "星期应为 1（周一）到 7（周日）");
        }
        match (parse_hhmm(&span.open), parse_hhmm(&span.close)) {
            (Some(open), Some(close)) if open < close => {}
            (Some(_), Some(_)) => c.fail(at("close"), "下班时间应晚于上班时间"),
            (None, _) => c.fail(at("open"), "时间格式应为 HH:MM"),
            (_, None) => c.fail(at("close"), "时间格式应为 HH:MM"),
        }
    }
    c.opt_text("place.hours_note", &item.place.hours_note);
    c.opt_text("place.directions", &item.place.directions);
    c.text("consult_phone", &item.consult_phone, true);
    c.text("complain_phone", &item.complain_phone, true);
    for (i, f) in item.faq.iter().enumerate() {
        c.text(FieldPath::new("faq").index(i).key("q"), &f.q, true);
        c.text(FieldPath::new("faq").index(i).key("a"), &f.a, true);
    }
    for (i, b) in item.legal_basis.iter().enumerate() {
        c.text(
            FieldPath::new("legal_basis").index(i).key("law"),
            &b.law,
            true,
        );
        c.text(
            FieldPath::new("legal_basis").index(i).key("article"),
            &b.article,
            false,
        );
        c.text(
            FieldPath::new("legal_basis").index(i).key("text"),
            &b.text,
            false,
        );
    }
    if let Some(w) = &item.withdrawn {
        c.text("withdrawn.reason", &w.reason, true);
        c.text("withdrawn.instead", &w.instead, true);
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
