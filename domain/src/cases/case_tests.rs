//! The case state machine, scenario by scenario: one cohesive suite (every path a case
//! can take, the clock, the rating), so it stays one file.

use super::*;
use crate::cases::receipt::ReceiptNumber;

fn d(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn cal() -> HolidayCalendar {
    HolidayCalendar::builtin()
}

fn number() -> ReceiptNumber {
    ReceiptNumber::generate(&[0x5A; 16])
}

/// Accepted Friday 2025-09-26 10:15, 5 working days: 9-28 (调休 Sunday), 9-29, 9-30,
/// 10-9, 10-10 → due 2025-10-10.
fn new_case(delivery: Delivery) -> NewCase {
    NewCase {
        number: number(),
        item_code: "11411523005012345x-000201001".to_string(),
        item_version: 3,
        item_name: "个体工商户设立登记".to_string(),
        department: "市场监督管理局".to_string(),
        hall: "新县政务服务中心".to_string(),
        window: "商事登记专区 3号窗口".to_string(),
        accepted_at: "2025-09-26T10:15:00+08:00".to_string(),
        promised_limit: TimeLimit {
            value: 5,
            unit: DayUnit::WorkingDays,
        },
        delivery,
        applicant_name: " 张三明 ".to_string(),
        contact: Some(" 139 0376 1234 ".to_string()),
        by: "王芳".to_string(),
        account: Some("wangfang".to_string()),
    }
}

fn open(delivery: Delivery) -> Case {
    Case::open(new_case(delivery), &cal()).unwrap()
}

fn ev(at: &str, kind: EventKind) -> CaseEvent {
    CaseEvent::new(at, kind, "王芳")
}

fn correction(at: &str) -> CaseEvent {
    ev(
        at,
        EventKind::CorrectionRequested {
            missing: vec!["经营场所使用证明".to_string()],
        },
    )
}

fn mailed(at: &str) -> CaseEvent {
    ev(
        at,
        EventKind::Mailed {
            carrier: "中国邮政EMS".to_string(),
            tracking: "1187654321098".to_string(),
        },
    )
}

fn pickup_ready(at: &str) -> CaseEvent {
    ev(
        at,
        EventKind::ReadyForPickup {
            place: "一楼综合出件窗口".to_string(),
        },
    )
}

#[test]
fn masks_names() {
    assert_eq!(mask_name("张三明"), "张*明");
    assert_eq!(mask_name("李四"), "李*");
    assert_eq!(mask_name("王"), "王");
    assert_eq!(mask_name("欧阳娜娜"), "欧**娜");
    assert_eq!(mask_name("买买提·艾力"), "买****力");
    assert_eq!(mask_name("Tom"), "T*m");
    assert_eq!(mask_name("Li"), "L*");
    assert_eq!(mask_name("John Smith"), "J********h");
    assert_eq!(mask_name("  张三明 "), "张*明");
    assert_eq!(mask_name(""), "");
}

#[test]
fn parses_timestamps_as_beijing_time() {
    assert_eq!(
        beijing_time("2025-09-26T10:15:00+08:00"),
        Some((d("2025-09-26"), 36_900))
    );
    assert_eq!(beijing_time("2025-09-26"), Some((d("2025-09-26"), 0)));
    assert_eq!(
        beijing_time("2025-09-26 10:15"),
        Some((d("2025-09-26"), 36_900))
    );
    // 20:00 UTC on 9-30 is 04:00 on 10-1 in Beijing.
    assert_eq!(
        beijing_time("2025-09-30T20:00:00.123Z"),
        Some((d("2025-10-01"), 4 * 3600))
    );
    assert_eq!(
        beijing_time("2025-09-30T20:00:00-0100"),
        Some((d("2025-10-01"), 5 * 3600))
    );
    for bad in [
        "",
        "2025-09-31",
        "2025-09-26T",
        "2025-09-26T25:00",
        "2025-09-26T10:15:00+8",
        "2025-09-26T10:15:00.",
        "2025-09-26x10:15",
        "昨天下午",
    ] {
        assert_eq!(beijing_time(bad), None, "{bad}");
    }
}

#[test]
fn opening_a_case_accepts_masks_and_sets_the_due_date() {
    let case = open(Delivery::Window);
    assert_eq!(case.number, number().as_compact());
    assert_eq!(case.receipt_number(), Some(number()));
    assert_eq!(case.item_code, "11411523005012345X-000201001");
    assert_eq!(case.applicant_masked, "张*明");
    assert_eq!(case.accepted_date(), Some(d("2025-09-26")));
    assert_eq!(case.due, d("2025-10-10"));
    assert_eq!(case.events.len(), 1);
    assert_eq!(case.events[0].kind, EventKind::Accepted);
    assert_eq!(case.events[0].by, "王芳");
    assert_eq!(case.status(), CaseStatus::Accepted);
    assert_eq!(case.status().label(), "已受理");
    assert!(!case.is_decided() && !case.is_closed() && !case.is_paused());
    assert!(case.check().is_ok());
    assert!(!case.due_is_estimate(d("2025-09-26"), &cal()));

    let mut bad = new_case(Delivery::Window);
    bad.accepted_at = "2025/09/26".to_string();
    assert!(matches!(
        Case::open(bad, &cal()),
        Err(TransitionError::BadTimestamp(_))
    ));
    let mut bad = new_case(Delivery::Window);
    bad.applicant_name = "  ".to_string();
    assert_eq!(
        Case::open(bad, &cal()),
        Err(TransitionError::Missing("申请人姓名"))
    );
    let mut bad = new_case(Delivery::Window);
    bad.item_code = "12<3".to_string();
    assert!(matches!(
        Case::open(bad, &cal()),
        Err(TransitionError::ItemCode(_))
    ));
    let mut instant_item = new_case(Delivery::Window);
    instant_item.promised_limit.value = 0;
    assert_eq!(
        Case::open(instant_item, &cal()).unwrap().due,
        d("2025-09-26")
    );
}

#[test]
fn window_path_to_pickup_then_closed() {
    let mut case = open(Delivery::Window);
    case.append(ev("2025-09-28T09:00:00+08:00", EventKind::Reviewing).with_note("审核"))
        .unwrap();
    case.append(ev("2025-09-29T09:00:00+08:00", EventKind::Reviewing).with_note("审批"))
        .unwrap();
    assert_eq!(case.status(), CaseStatus::Reviewing);
    case.append(ev("2025-09-30T16:00:00+08:00", EventKind::Approved))
        .unwrap();
    assert!(case.is_decided());
    assert!(!case.is_closed());
    assert_eq!(case.status().label(), "已办结（准予）");
    case.append(pickup_ready("2025-09-30T16:30:00+08:00"))
        .unwrap();
    assert_eq!(
        case.append(pickup_ready("2025-09-30T16:40:00+08:00")),
        Err(TransitionError::Invalid {
            from: CaseStatus::ReadyForPickup,
            event: "待领取"
        })
    );
    assert_eq!(
        case.append(ev("2025-10-09T09:00:00+08:00", EventKind::Reviewing)),
        Err(TransitionError::AlreadyDecided { event: "审查中" })
    );
    case.append(ev("2025-10-09T09:00:00+08:00", EventKind::PickedUp))
        .unwrap();
    assert!(case.is_closed());
    assert_eq!(case.status().label(), "已领取");
    for late in [
        ev("2025-10-10T09:00:00+08:00", EventKind::Reviewing),
        ev("2025-10-10T09:00:00+08:00", EventKind::PickedUp),
        ev(
            "2025-10-10T09:00:00+08:00",
            EventKind::Returned {
                reason: "x".to_string(),
            },
        ),
    ] {
        let err = case.append(late).unwrap_err();
        assert_eq!(
            err,
            TransitionError::Closed {
                status: CaseStatus::PickedUp
            }
        );
        assert_eq!(err.to_string(), "办件已结束（已领取），不能再登记新的进度");
    }
    assert_eq!(case.events.len(), 6);
    assert!(case.check().is_ok());
}

#[test]
fn window_results_can_be_handed_over_directly_and_rejections_delivered_too() {
    let mut case = open(Delivery::Window);
    case.append(ev(
        "2025-09-26T11:00:00+08:00",
        EventKind::Rejected {
            reason: "经营范围属于禁止类".to_string(),
        },
    ))
    .unwrap();
    assert!(case.is_decided());
    assert_eq!(case.status().label(), "已办结（不予）");
    case.append(ev("2025-09-26T11:05:00+08:00", EventKind::PickedUp))
        .unwrap();
    assert!(case.is_closed());
}

#[test]
fn post_path_and_delivery_mismatches() {
    let mut case = open(Delivery::Post);
    let err = case
        .append(mailed("2025-09-29T09:00:00+08:00"))
        .unwrap_err();
    assert_eq!(err, TransitionError::NotDecided { event: "已邮寄" });
    assert_eq!(err.to_string(), "尚未办结（准予或不予），不能登记“已邮寄”");
    assert_eq!(
        case.append(pickup_ready("2025-09-29T09:00:00+08:00")),
        Err(TransitionError::WrongDelivery {
            event: "待领取",
            delivery: Delivery::Post
        })
    );
    case.append(ev("2025-09-29T10:00:00+08:00", EventKind::Approved))
        .unwrap();
    assert_eq!(
        case.append(ev("2025-09-29T10:00:00+08:00", EventKind::PickedUp)),
        Err(TransitionError::WrongDelivery {
            event: "已领取",
            delivery: Delivery::Post
        })
    );
    case.append(mailed("2025-09-29T15:00:00+08:00")).unwrap();
    assert_eq!(case.status(), CaseStatus::Mailed);
    assert!(case.is_closed());
    assert_eq!(
        case.append(mailed("2025-09-30T15:00:00+08:00")),
        Err(TransitionError::Closed {
            status: CaseStatus::Mailed
        })
    );

    let mut window = open(Delivery::Window);
    window
        .append(ev("2025-09-29T10:00:00+08:00", EventKind::Approved))
        .unwrap();
    let err = window
        .append(mailed("2025-09-29T15:00:00+08:00"))
        .unwrap_err();
    assert_eq!(
        err,
        TransitionError::WrongDelivery {
            event: "已邮寄",
            delivery: Delivery::Window
        }
    );
    assert_eq!(err.to_string(), "本件约定窗口领取，不能登记“已邮寄”");
    // Pickup before the decision.
    let mut early = open(Delivery::Window);
    assert_eq!(
        early.append(pickup_ready("2025-09-27T09:00:00+08:00")),
        Err(TransitionError::NotDecided { event: "待领取" })
    );
    assert_eq!(
        early.append(ev("2025-09-27T09:00:00+08:00", EventKind::PickedUp)),
        Err(TransitionError::NotDecided { event: "已领取" })
    );
}

#[test]
fn correction_stops_the_clock_until_done() {
    let calendar = cal();
    let mut case = open(Delivery::Window);
    assert_eq!(
        case.append(ev("2025-09-28T09:00:00+08:00", EventKind::CorrectionDone)),
        Err(TransitionError::NoOpenCorrection)
    );
    // Requested Monday 9-29 (after 9-28 and 9-29 were used: 2 of 5 days).
    case.record(correction("2025-09-29T11:00:00+08:00"), &calendar)
        .unwrap();
    assert!(case.is_paused());
    assert_eq!(case.status().label(), "待补正（办理时限暂停）");
    assert_eq!(case.open_correction(), Some(d("2025-09-29")));
    for blocked in [
        ev("2025-09-30T09:00:00+08:00", EventKind::Approved),
        ev("2025-09-30T09:00:00+08:00", EventKind::Reviewing),
        correction("2025-09-30T09:00:00+08:00"),
    ] {
        let label = blocked.kind.label();
        assert_eq!(
            case.append(blocked),
            Err(TransitionError::CorrectionOpen { event: label })
        );
    }
    // While paused: days used stay at 2 and the case is never overdue.
    assert_eq!(case.days_used(d("2025-10-20"), &calendar), 2);
    assert!(!case.is_overdue(d("2025-10-20"), &calendar));
    assert_eq!(case.paused_intervals(), vec![]);

    // Done Thursday 10-9: paused working days 9-30 and 10-9 → due moves from 10-10 by
    // two working days: 10-10 (3), Saturday 10-11 调休 (4), Monday 10-13 (5).
    case.record(
        ev("2025-10-09T15:00:00+08:00", EventKind::CorrectionDone),
        &calendar,
    )
    .unwrap();
    assert_eq!(case.status(), CaseStatus::Corrected);
    assert_eq!(
        case.paused_intervals(),
        vec![(d("2025-09-29"), d("2025-10-09"))]
    );
    assert_eq!(case.due, d("2025-10-13"));
    assert_eq!(
        case.append(ev("2025-10-09T16:00:00+08:00", EventKind::CorrectionDone)),
        Err(TransitionError::NoOpenCorrection)
    );
    assert_eq!(case.days_used(d("2025-10-10"), &calendar), 3);
    assert!(!case.is_overdue(d("2025-10-13"), &calendar));
    assert!(case.is_overdue(d("2025-10-14"), &calendar));

    // A second round of 补正 is allowed after the first is done.
    case.record(correction("2025-10-10T09:00:00+08:00"), &calendar)
        .unwrap();
    case.record(
        ev(
            "2025-10-10T17:00:00+08:00",
            EventKind::Returned {
                reason: "申请人撤回申请".to_string(),
            },
        ),
        &calendar,
    )
    .unwrap();
    assert!(case.is_closed());
    assert!(!case.is_decided());
    assert!(!case.is_overdue(d("2025-12-01"), &calendar));
    assert!(case.check().is_ok());
}

#[test]
fn overdue_and_days_used_against_the_promise() {
    let calendar = cal();
    let mut case = open(Delivery::Window);
    // Due 10-10; during the holiday nothing is used.
    assert_eq!(case.days_used(d("2025-09-30"), &calendar), 3);
    assert_eq!(case.days_used(d("2025-10-08"), &calendar), 3);
    assert_eq!(case.days_used(d("2025-10-10"), &calendar), 5);
    assert!(!case.is_overdue(d("2025-10-10"), &calendar));
    assert!(case.is_overdue(d("2025-10-11"), &calendar));
    assert_eq!(case.days_used(d("2025-10-13"), &calendar), 7);
    // Decided late: no longer "overdue" (the timeline shows when it was decided), and
    // days used stop at the decision.
    case.append(ev("2025-10-13T10:00:00+08:00", EventKind::Approved))
        .unwrap();
    assert!(!case.is_overdue(d("2025-10-20"), &calendar));
    assert_eq!(case.days_used(d("2025-10-20"), &calendar), 7);

    // A calendar-day limit counts every day; its last day (10-06) falls in the 国庆
    // holiday, so it ends on the first working day after (民法典 第二百零三条).
    let mut new = new_case(Delivery::Window);
    new.promised_limit = TimeLimit {
        value: 10,
        unit: DayUnit::CalendarDays,
    };
    let case = Case::open(new, &calendar).unwrap();
    assert_eq!(case.due, d("2025-10-09"));
    assert_eq!(case.days_used(d("2025-10-03"), &calendar), 7);
    assert!(!case.is_overdue(d("2025-10-09"), &calendar));
    assert!(case.is_overdue(d("2025-10-10"), &calendar));
}

#[test]
fn due_dates_past_the_known_years_are_flagged_as_estimates() {
    let calendar = cal();
    let mut new = new_case(Delivery::Window);
    new.accepted_at = "2026-12-15T09:00:00+08:00".to_string();
    new.promised_limit.value = 20;
    let case = Case::open(new, &calendar).unwrap();
    // 2026: the notice; 2027: weekends and the law's 元旦 (1-1) only, for now.
    assert_eq!(case.due, d("2027-01-13"));
    let today = d("2026-12-15");
    assert!(case.due_is_estimate(today, &calendar));

    // Staff enter that year (test-only dates, not a real notice): the due date is
    // counted with it from then on and is no longer an estimate.
    let mut entered = calendar.clone();
    entered
        .insert_year(
            2027,
            crate::calendar::schedule::test_schedule(
                (4..=8).map(|day| Date::new(2027, 1, day).unwrap()),
            ),
        )
        .unwrap();
    assert_eq!(case.effective_due(today, &entered), d("2027-01-19"));
    assert!(!case.due_is_estimate(today, &entered));
    let mut stored = case.clone();
    assert_eq!(stored.recompute_due(&entered), d("2027-01-19"));
}

#[test]
fn refuses_malformed_events_and_out_of_order_times() {
    let mut case = open(Delivery::Post);
    assert_eq!(
        case.append(ev("2025-09-26T09:00:00+08:00", EventKind::Accepted)),
        Err(TransitionError::AlreadyAccepted)
    );
    assert_eq!(
        case.append(ev(
            "2025-09-29T09:00:00+08:00",
            EventKind::CorrectionRequested { missing: vec![] }
        )),
        Err(TransitionError::Missing("需补正的材料"))
    );
    assert_eq!(
        case.append(ev(
            "2025-09-29T09:00:00+08:00",
            EventKind::Rejected {
                reason: " ".to_string()
            }
        )),
        Err(TransitionError::Missing("不予办理的理由"))
    );
    assert_eq!(
        case.append(CaseEvent::new(
            "2025-09-29T09:00:00+08:00",
            EventKind::Reviewing,
            ""
        )),
        Err(TransitionError::Missing("经办人"))
    );
    assert_eq!(
        case.append(
            ev("2025-09-29T09:00:00+08:00", EventKind::Reviewing).with_note("长".repeat(501))
        ),
        Err(TransitionError::TooLong {
            field: "备注",
            max: MAX_EVENT_TEXT
        })
    );
    assert!(matches!(
        case.append(ev("下周一", EventKind::Reviewing)),
        Err(TransitionError::BadTimestamp(_))
    ));
    let err = case
        .append(ev("2025-09-26T10:14:59+08:00", EventKind::Reviewing))
        .unwrap_err();
    assert!(matches!(err, TransitionError::OutOfOrder { .. }));
    // The same instant written in UTC is fine; one second earlier is not.
    case.append(ev("2025-09-26T02:15:00Z", EventKind::Reviewing))
        .unwrap();
    case.append(ev("2025-09-29T10:00:00+08:00", EventKind::Approved))
        .unwrap();
    assert_eq!(
        case.append(ev(
            "2025-09-29T15:00:00+08:00",
            EventKind::Mailed {
                carrier: "EMS".to_string(),
                tracking: "11 87".to_string()
            }
        )),
        Err(TransitionError::BadTracking("11 87".to_string()))
    );
    assert_eq!(
        case.append(ev(
            "2025-09-29T15:00:00+08:00",
            EventKind::Returned {
                reason: "材料不全".to_string()
            }
        )),
        Err(TransitionError::AlreadyDecided { event: "退回" })
    );
    assert_eq!(
        case.append(ev("2025-09-29T15:00:00+08:00", EventKind::Approved)),
        Err(TransitionError::AlreadyDecided {
            event: "办结（准予）"
        })
    );
    // Nothing refused was recorded.
    assert_eq!(case.events.len(), 3);
}

#[test]
fn a_case_without_events_only_takes_acceptance_and_check_replays_stored_cases() {
    let mut case = open(Delivery::Window);
    case.events.clear();
    assert_eq!(case.check(), Err(TransitionError::NotAccepted));
    assert_eq!(
        case.append(ev("2025-09-26T10:15:00+08:00", EventKind::Reviewing)),
        Err(TransitionError::NotAccepted)
    );
    case.append(ev("2025-09-26T10:15:00+08:00", EventKind::Accepted))
        .unwrap();
    assert!(case.check().is_ok());

    // A stored case edited by hand into an impossible order is caught.
    let mut tampered = open(Delivery::Window);
    tampered
        .events
        .push(ev("2025-09-29T10:00:00+08:00", EventKind::PickedUp));
    assert_eq!(
        tampered.check(),
        Err(TransitionError::NotDecided { event: "已领取" })
    );
}

#[test]
fn rating_only_after_decision_and_only_once() {
    let mut case = open(Delivery::Window);
    assert_eq!(
        case.rate(Rating::Satisfied, None, "2025-09-27T09:00:00+08:00"),
        Err(RatingError::NotDecided)
    );
    case.append(correction("2025-09-29T09:00:00+08:00"))
        .unwrap();
    assert_eq!(
        case.rate(Rating::Satisfied, None, "2025-09-29T10:00:00+08:00"),
        Err(RatingError::NotDecided)
    );
    case.append(ev("2025-09-30T09:00:00+08:00", EventKind::CorrectionDone))
        .unwrap();
    case.append(ev("2025-09-30T16:00:00+08:00", EventKind::Approved))
        .unwrap();
    assert_eq!(
        case.rate(Rating::Satisfied, None, "2025-09-30T15:00:00+08:00"),
        Err(RatingError::BeforeDecision)
    );
    assert_eq!(
        case.rate(
            Rating::Satisfied,
            Some(&"好".repeat(301)),
            "2025-09-30T17:00:00+08:00"
        ),
        Err(RatingError::CommentTooLong(301))
    );
    assert_eq!(
        case.rate(
            Rating::Satisfied,
            Some("好\u{0007}"),
            "2025-09-30T17:00:00+08:00"
        ),
        Err(RatingError::BadComment)
    );
    assert!(case.rating.is_none());
    case.rate(
        Rating::VeryDissatisfied,
        Some(&format!("  {}  ", "等".repeat(300))),
        "2025-09-30T17:00:00+08:00",
    )
    .unwrap();
    let rating = case.rating.clone().unwrap();
    assert_eq!(
        rating.comment.as_deref().map(|c| c.chars().count()),
        Some(300)
    );
    assert!(case.needs_follow_up());
    assert_eq!(
        case.rate(Rating::VerySatisfied, None, "2025-10-01T09:00:00+08:00"),
        Err(RatingError::AlreadyRated)
    );
    assert_eq!(case.rating, Some(rating));
    // Delivery continues after rating.
    case.append(ev("2025-10-09T09:00:00+08:00", EventKind::PickedUp))
        .unwrap();

    // 不予 is 办结 too; a blank comment is no comment.
    let mut rejected = open(Delivery::Post);
    rejected
        .append(ev(
            "2025-09-29T09:00:00+08:00",
            EventKind::Rejected {
                reason: "不符合条件".to_string(),
            },
        ))
        .unwrap();
    rejected
        .rate(
            Rating::BasicallySatisfied,
            Some("   "),
            "2025-09-29T10:00:00+08:00",
        )
        .unwrap();
    assert_eq!(rejected.rating.as_ref().unwrap().comment, None);
    assert!(!rejected.needs_follow_up());

    // A returned case was never decided.
    let mut returned = open(Delivery::Window);
    returned
        .append(ev(
            "2025-09-29T09:00:00+08:00",
            EventKind::Returned {
                reason: "申请人撤回".to_string(),
            },
        ))
        .unwrap();
    assert_eq!(
        returned.rate(Rating::Satisfied, None, "2025-09-29T10:00:00+08:00"),
        Err(RatingError::NotDecided)
    );
}

#[test]
fn rating_levels() {
    let labels: Vec<_> = Rating::ALL.iter().map(|r| r.label()).collect();
    assert_eq!(
        labels,
        ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    );
    let follow: Vec<_> = Rating::ALL.iter().map(|r| r.needs_follow_up()).collect();
    assert_eq!(follow, [false, false, false, true, true]);
    for r in Rating::ALL {
        assert_eq!(Rating::from_score(r.score()), Some(r));
    }
    assert_eq!(Rating::from_score(0), None);
    assert_eq!(Rating::from_score(6), None);
}

#[test]
fn serializes_with_snake_case_tags_and_round_trips() {
    let calendar = cal();
    let mut case = open(Delivery::Post);
    case.record(correction("2025-09-29T09:00:00+08:00"), &calendar)
        .unwrap();
    case.record(
        ev("2025-09-30T09:00:00+08:00", EventKind::CorrectionDone),
        &calendar,
    )
    .unwrap();
    case.append(ev("2025-10-09T09:00:00+08:00", EventKind::Approved))
        .unwrap();
    case.append(mailed("2025-10-09T15:00:00+08:00")).unwrap();
    case.rate(
        Rating::VerySatisfied,
        Some("很快"),
        "2025-10-10T09:00:00+08:00",
    )
    .unwrap();
    let json = serde_json::to_value(&case).unwrap();
    assert_eq!(json["delivery"], "post");
    // One working day (9-30) paused: due moves from 10-10 to Saturday 10-11 (调休).
    assert_eq!(json["due"], "2025-10-11");
    assert_eq!(json["promised_limit"]["unit"], "working_days");
    assert_eq!(json["events"][0]["kind"]["type"], "accepted");
    assert_eq!(json["events"][1]["kind"]["type"], "correction_requested");
    assert_eq!(json["events"][1]["kind"]["missing"][0], "经营场所使用证明");
    assert_eq!(json["events"][2]["kind"]["type"], "correction_done");
    assert_eq!(json["events"][4]["kind"]["type"], "mailed");
    assert_eq!(json["events"][4]["kind"]["tracking"], "1187654321098");
    assert_eq!(json["rating"]["level"], "very_satisfied");
    assert!(json.get("applicant_name").is_none());
    assert_eq!(json["applicant_masked"], "张*明");
    let back: Case = serde_json::from_value(json).unwrap();
    assert_eq!(back, case);
    assert!(back.check().is_ok());
    assert_eq!(
        serde_json::to_string(&CaseStatus::ReadyForPickup).unwrap(),
        "\"ready_for_pickup\""
    );
    assert_eq!(
        serde_json::to_string(&Rating::BasicallySatisfied).unwrap(),
        "\"basically_satisfied\""
    );
}

/// A call back recorded at the desk by 王芳.
fn call(at: &str, outcome: &str, done: bool) -> FollowUp {
    FollowUp {
        at: at.into(),
        by: "王芳".into(),
        account: Some("wangfang".into()),
        outcome: outcome.into(),
        done,
    }
}

#[test]
fn a_bad_rating_waits_until_a_follow_up_is_done() {
    let mut case = open(Delivery::Window);
    assert_eq!(
        case.follow_up(call("2025-09-30T10:00:00+08:00", "已致电", true)),
        Err(FollowUpError::NothingToFollowUp)
    );
    case.append(ev("2025-09-29T16:00:00+08:00", EventKind::Approved))
        .unwrap();
    case.rate(
        Rating::Dissatisfied,
        Some("窗口说法不一"),
        "2025-09-30T09:00:00+08:00",
    )
    .unwrap();
    assert!(case.needs_follow_up());
    assert_eq!(
        case.follow_up(call("2025-09-30T08:00:00+08:00", "已致电", true)),
        Err(FollowUpError::BeforeRating)
    );
    assert_eq!(
        case.follow_up(call("2025-09-30T10:00:00+08:00", "  ", true)),
        Err(FollowUpError::NoOutcome)
    );
    assert_eq!(
        case.follow_up(call("2025-09-30T10:00:00+08:00", &"长".repeat(501), true)),
        Err(FollowUpError::TooLong(501))
    );
    // Nobody answered: recorded, and the rating still waits.
    case.follow_up(call("2025-09-30T10:00:00+08:00", "电话未接通", false))
        .unwrap();
    assert!(case.needs_follow_up());
    case.follow_up(call(
        "2025-10-09T10:00:00+08:00",
        "已致电说明材料要求，申请人表示理解",
        true,
    ))
    .unwrap();
    assert!(!case.needs_follow_up());
    assert_eq!(case.follow_ups.len(), 2);
    assert_eq!(
        case.last_account(),
        Some("wangfang"),
        "the call back came last"
    );
    assert_eq!(
        case.follow_up(call("2025-10-10T10:00:00+08:00", "再次回访", true)),
        Err(FollowUpError::AlreadyDone)
    );
    let back: Case = serde_json::from_value(serde_json::to_value(&case).unwrap()).unwrap();
    assert_eq!(back, case);
}

#[test]
fn the_contact_is_kept_for_staff_and_the_desk_account_signs_the_acceptance() {
    let case = open(Delivery::Window);
    assert_eq!(case.contact.as_deref(), Some("139 0376 1234"));
    assert_eq!(case.events[0].account.as_deref(), Some("wangfang"));
    let progress = crate::cases::Progress::of(
        &case,
        Date::parse("2025-09-26").unwrap(),
        &HolidayCalendar::builtin(),
    );
    assert!(!serde_json::to_string(&progress).unwrap().contains("0376"));
    for bad in ["javascript:1", "电话13900000000", &"1".repeat(31)] {
        let new = NewCase {
            contact: Some(bad.to_string()),
            ..new_case(Delivery::Window)
        };
        assert_eq!(
            Case::open(new, &HolidayCalendar::builtin()),
            Err(TransitionError::BadContact(bad.to_string()))
        );
    }
}
