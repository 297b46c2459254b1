use super::*;
use crate::parse_item;

fn item() -> Item {
    parse_item(include_str!("../catalog/fixtures/item.json")).expect("fixture is valid")
}

fn new_request(received: &[&str], signed: bool) -> NewProxyRequest {
    NewProxyRequest {
        number: ReceiptNumber::generate(&[0x3C; 16]),
        village: "guangming".into(),
        village_name: "光明社区党群服务中心".into(),
        to_hall: "shangji".into(),
        to_hall_name: "上集镇综合服务中心".into(),
        applicant_name: "李桂兰".into(),
        contact: Some(" 13800001111 ".into()),
        mandate_signed: signed,
        received: received.iter().map(|s| s.to_string()).collect(),
        at: "2026-11-02T09:00:00+08:00".into(),
        by: "赵代办（zhaody）".into(),
        account: Some("zhaody".into()),
        note: None,
    }
}

fn step(at: &str, kind: ProxyStepKind) -> ProxyStep {
    ProxyStep {
        at: at.into(),
        kind,
        by: "赵代办（zhaody）".into(),
        account: Some("zhaody".into()),
        note: None,
    }
}

#[test]
fn registration_keeps_the_guide_checklist_and_masks_the_name() {
    let request = ProxyRequest::open(new_request(&["公司章程"], false), &item()).unwrap();
    assert_eq!(request.applicant_masked, "李*兰");
    assert_eq!(request.contact.as_deref(), Some("13800001111"));
    assert_eq!(request.materials.len(), 6);
    let ticked: Vec<&str> = request
        .materials
        .iter()
        .filter(|m| m.received)
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(ticked, ["公司章程"]);
    // 授权委托书 is needed only when someone else applies: not counted as missing.
    assert_eq!(request.missing().count(), 4);
    assert_eq!(request.status(), ProxyStatus::Registered);
    assert_eq!(request.row(false).missing, 4);
    assert!(request
        .mandate_material
        .as_deref()
        .unwrap()
        .contains("授权委托书"));
}

#[test]
fn unknown_materials_and_in_person_items_are_refused() {
    assert_eq!(
        ProxyRequest::open(new_request(&["户口本"], true), &item()).unwrap_err(),
        ProxyError::UnknownMaterial("户口本".into())
    );
    let mut in_person = item();
    in_person.in_person = Some("须本人到场采集指纹".into());
    let refused = ProxyRequest::open(new_request(&[], true), &in_person).unwrap_err();
    assert!(
        refused.to_string().contains("须本人到场采集指纹"),
        "{refused}"
    );
    let mut closed = item();
    closed.proxy = None;
    assert!(matches!(
        ProxyRequest::open(new_request(&[], true), &closed),
        Err(ProxyError::NotProxiable(_))
    ));
    let mut bad_phone = new_request(&[], true);
    bad_phone.contact = Some("call me".into());
    assert!(matches!(
        ProxyRequest::open(bad_phone, &item()),
        Err(ProxyError::Field(TransitionError::BadContact(_)))
    ));
}

#[test]
fn the_village_leg_runs_in_order() {
    let mut request = ProxyRequest::open(new_request(&[], false), &item()).unwrap();
    assert_eq!(
        request.record(
            step("2026-11-02T10:00:00+08:00", ProxyStepKind::HandedOver),
            false
        ),
        Err(ProxyError::MandateUnsigned)
    );
    request
        .record(
            step("2026-11-02T10:00:00+08:00", ProxyStepKind::MandateSigned),
            false,
        )
        .unwrap();
    request
        .record(
            step(
                "2026-11-02T10:05:00+08:00",
                ProxyStepKind::MaterialsReceived {
                    names: vec!["公司章程".into(), "住所使用证明".into()],
                },
            ),
            false,
        )
        .unwrap();
    assert_eq!(request.missing().count(), 3);
    request
        .record(
            step("2026-11-03T09:00:00+08:00", ProxyStepKind::HandedOver),
            false,
        )
        .unwrap();
    assert_eq!(request.status(), ProxyStatus::HandedOver);
    // Materials are ticked at the village only.
    assert!(matches!(
        request.record(
            step(
                "2026-11-03T09:10:00+08:00",
                ProxyStepKind::MaterialsReceived {
                    names: vec!["公司章程".into()]
                }
            ),
            false
        ),
        Err(ProxyError::Invalid { .. })
    ));
    request
        .record(
            step("2026-11-03T10:00:00+08:00", ProxyStepKind::Accepted),
            false,
        )
        .unwrap();
    assert_eq!(
        request.record(
            step("2026-11-05T10:00:00+08:00", ProxyStepKind::ResultBack),
            false
        ),
        Err(ProxyError::CaseNotFinished)
    );
    assert!(matches!(
        request.record(
            step(
                "2026-11-05T10:00:00+08:00",
                ProxyStepKind::Withdrawn {
                    reason: "不办了".into()
                }
            ),
            true
        ),
        Err(ProxyError::Invalid { .. })
    ));
    request
        .record(
            step("2026-11-05T10:00:00+08:00", ProxyStepKind::ResultBack),
            true,
        )
        .unwrap();
    request
        .record(
            step("2026-11-05T15:00:00+08:00", ProxyStepKind::Delivered),
            true,
        )
        .unwrap();
    assert_eq!(request.status(), ProxyStatus::Delivered);
    assert!(request.status().is_finished());
    let progress = request.progress();
    assert_eq!(progress.timeline.len(), 7);
    assert_eq!(
        progress.timeline[0].detail.as_deref(),
        Some("代办点：光明社区党群服务中心")
    );
    assert_eq!(progress.status_label, "已交付申请人");
    assert_eq!(
        request.record(
            step("2026-11-06T09:00:00+08:00", ProxyStepKind::Delivered),
            true
        ),
        Err(ProxyError::Invalid {
            from: ProxyStatus::Delivered,
            step: "已交付申请人"
        })
    );
}

#[test]
fn steps_cannot_go_back_in_time_and_withdrawal_needs_a_reason() {
    let mut request = ProxyRequest::open(new_request(&[], true), &item()).unwrap();
    assert!(matches!(
        request.record(
            step("2026-11-01T09:00:00+08:00", ProxyStepKind::HandedOver),
            false
        ),
        Err(ProxyError::Field(TransitionError::OutOfOrder { .. }))
    ));
    assert!(matches!(
        request.record(
            step(
                "2026-11-02T11:00:00+08:00",
                ProxyStepKind::Withdrawn { reason: " ".into() }
            ),
            false
        ),
        Err(ProxyError::Field(TransitionError::Missing(_)))
    ));
    request
        .record(
            step(
                "2026-11-02T11:00:00+08:00",
                ProxyStepKind::Withdrawn {
                    reason: "申请人改为自行办理".into(),
                },
            ),
            false,
        )
        .unwrap();
    assert_eq!(request.status(), ProxyStatus::Withdrawn);
}

#[test]
fn desks_see_what_waits_for_them_first() {
    let base = ProxyRequest::open(new_request(&[], true), &item())
        .unwrap()
        .row(false);
    let with = |status, updated: &str| ProxyRow {
        status,
        updated_at: updated.into(),
        ..base.clone()
    };
    let mut rows = vec![
        with(ProxyStatus::Delivered, "2026-11-09T09:00:00+08:00"),
        with(ProxyStatus::Accepted, "2026-11-08T09:00:00+08:00"),
        with(ProxyStatus::HandedOver, "2026-11-03T09:00:00+08:00"),
        with(ProxyStatus::ResultBack, "2026-11-04T09:00:00+08:00"),
        with(ProxyStatus::Registered, "2026-11-05T09:00:00+08:00"),
    ];
    sort_proxy_rows(&mut rows, false);
    assert_eq!(rows[0].status, ProxyStatus::HandedOver);
    assert_eq!(rows[4].status, ProxyStatus::Delivered);
    sort_proxy_rows(&mut rows, true);
    let order: Vec<ProxyStatus> = rows.iter().map(|r| r.status).collect();
    assert_eq!(
        order,
        [
            ProxyStatus::ResultBack,
            ProxyStatus::Registered,
            ProxyStatus::Accepted,
            ProxyStatus::HandedOver,
            ProxyStatus::Delivered
        ]
    );
}

#[test]
fn villages_take_files_to_their_township_and_county() {
    use crate::catalog::item::Level;
    use crate::Hall;
    let hall = |id: &str, level, township: Option<&str>| Hall {
        id: id.into(),
        name: format!("{id}中心"),
        level,
        address: String::new(),
        phone: String::new(),
        zones: Vec::new(),
        county: (level != Level::County).then(|| "xinxian".into()),
        township: township.map(str::to_string),
        hours: Vec::new(),
    };
    let halls = vec![
        hall("xinxian", Level::County, None),
        hall("shangji", Level::Township, None),
        hall("guangming", Level::Village, Some("shangji")),
        hall("tianpu", Level::Village, Some("other")),
    ];
    assert_eq!(halls[2].proxy_targets(), ["shangji", "xinxian"]);
    assert!(halls[1].proxy_targets().is_empty());
    let ids = |points: Vec<&Hall>| points.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(halls[1].village_points(&halls)), ["guangming"]);
    assert_eq!(
        ids(halls[0].village_points(&halls)),
        ["guangming", "tianpu"]
    );
    assert!(halls[2].village_points(&halls).is_empty());
}

#[test]
fn a_row_fits_in_kv_metadata() {
    let mut long = item();
    long.name = "长".repeat(400);
    let mut row = ProxyRequest::open(new_request(&[], true), &long)
        .unwrap()
        .row(false);
    let json = row.fit_within(1000);
    assert!(json.len() <= 1000, "{}", json.len());
    assert!(row.item_name.ends_with('…'));
}

#[test]
fn the_hall_accepts_only_what_was_handed_over_and_not_withdrawn() {
    let mut request = ProxyRequest::open(new_request(&[], true), &item()).unwrap();
    assert!(matches!(
        request.record(
            step("2026-11-02T10:00:00+08:00", ProxyStepKind::Accepted),
            false
        ),
        Err(ProxyError::Invalid {
            from: ProxyStatus::Registered,
            ..
        })
    ));
    request
        .record(
            step("2026-11-02T10:00:00+08:00", ProxyStepKind::HandedOver),
            false,
        )
        .unwrap();
    request
        .record(
            step(
                "2026-11-02T11:00:00+08:00",
                ProxyStepKind::Withdrawn {
                    reason: "申请人已自行到镇里办理".into(),
                },
            ),
            false,
        )
        .unwrap();
    for kind in [
        ProxyStepKind::Accepted,
        ProxyStepKind::HandedOver,
        ProxyStepKind::ResultBack,
    ] {
        assert!(matches!(
            request.record(step("2026-11-02T12:00:00+08:00", kind), true),
            Err(ProxyError::Invalid {
                from: ProxyStatus::Withdrawn,
                ..
            })
        ));
    }
}

#[test]
fn a_request_keeps_a_bounded_history_and_names_the_field_at_fault() {
    let mut request = ProxyRequest::open(new_request(&[], false), &item()).unwrap();
    let tick = |minute: u32| {
        step(
            &format!("2026-11-02T10:{minute:02}:00+08:00"),
            ProxyStepKind::MaterialsReceived {
                names: vec!["公司章程".into()],
            },
        )
    };
    for minute in 0..(MAX_STEPS as u32 - 1) {
        request.record(tick(minute), false).unwrap();
    }
    assert_eq!(
        request.record(tick(59), false),
        Err(ProxyError::TooManySteps)
    );
    let too_many = ProxyStepKind::MaterialsReceived {
        names: vec!["公司章程".into(); MAX_TICKED + 1],
    };
    assert_eq!(
        ProxyRequest::check_kind(&too_many).unwrap_err().field(),
        "received"
    );
    let blank = ProxyStepKind::Withdrawn { reason: " ".into() };
    assert_eq!(
        ProxyRequest::check_kind(&blank).unwrap_err().field(),
        "reason"
    );
    let empty = ProxyStepKind::MaterialsReceived { names: vec![] };
    assert_eq!(
        ProxyRequest::check_kind(&empty).unwrap_err().field(),
        "names"
    );
    let mut nameless = new_request(&[], true);
    nameless.applicant_name = " ".into();
    assert_eq!(
        ProxyRequest::open(nameless, &item()).unwrap_err().field(),
        "applicant_name"
    );
    let mut bad_phone = new_request(&[], true);
    bad_phone.contact = Some("call me".into());
    assert_eq!(
        ProxyRequest::open(bad_phone, &item()).unwrap_err().field(),
        "contact"
    );
}

#[test]
fn a_name_the_guide_lists_twice_is_ticked_on_both_lines() {
    let mut twice = item();
    let mut again = twice.materials[1].clone();
    again.needed_when = None;
    twice.materials.push(again);
    let request = ProxyRequest::open(new_request(&["公司章程"], true), &twice).unwrap();
    let lines: Vec<bool> = request
        .materials
        .iter()
        .filter(|m| m.name == "公司章程")
        .map(|m| m.received)
        .collect();
    assert_eq!(lines, [true, true]);
}
