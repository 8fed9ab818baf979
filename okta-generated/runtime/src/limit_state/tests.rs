//! Tests of the in-process state: a bucket's window, the capacity share, the bucket map and the
//! concurrency permits.
use super::*;

/// Server time of the tests: 1445412480 = Wed, 21 Oct 2015 07:28:00 GMT.
const T0: u64 = 1_445_412_480;
const SEC: i128 = NANOS_PER_SEC;
const FULL: Capacity = Capacity::FULL;

fn at(secs: u64) -> ServerTime {
    ServerTime::exact(i128::from(secs) * SEC)
}

/// `at(secs)` plus `nanos`.
fn after(secs: u64, nanos: i128) -> ServerTime {
    ServerTime::exact(i128::from(secs) * SEC + nanos)
}

/// A 2xx answer of a window of 600 with `remaining` left until `reset`.
fn ok(remaining: u64, reset: u64) -> Answer {
    Answer {
        throttled: false,
        limit: Some(600),
        remaining: Some(remaining),
        reset: Some(reset),
    }
}

/// A 429 answer with these headers.
fn throttled(remaining: u64, reset: u64) -> Answer {
    Answer {
        throttled: true,
        ..ok(remaining, reset)
    }
}

fn known(remaining: u64, reset: u64) -> Bucket {
    Bucket {
        window: Window::Known {
            limit: Some(600),
            remaining,
            reset,
        },
        in_flight: 0,
    }
}

#[test]
fn first_request_of_a_bucket_is_a_lone_probe_and_its_answer_opens_the_window() {
    let mut b = Bucket::NEW;
    assert_eq!(b.decide(at(T0), FULL), Verdict::Send);
    assert_eq!(b.decide(at(T0), FULL), Verdict::WaitForProbe);
    assert!(b.complete(Some(ok(3, T0 + 60))), "waiters are woken");
    assert_eq!(
        b.window,
        Window::Known {
            limit: Some(600),
            remaining: 3,
            reset: T0 + 60
        }
    );
    for _ in 0..3 {
        assert_eq!(b.decide(at(T0), FULL), Verdict::Send);
    }
    assert_eq!(b.in_flight, 3);
}

#[test]
fn slots_are_remaining_minus_in_flight_then_tasks_wait_for_the_reset() {
    let mut b = known(2, T0 + 10);
    assert_eq!(b.decide(at(T0), FULL), Verdict::Send);
    assert_eq!(b.decide(at(T0), FULL), Verdict::Send);
    // Both in flight, nothing answered yet: the budget is spoken for.
    assert_eq!(
        b.decide(after(T0, SEC / 2), FULL),
        Verdict::WaitForReset {
            reset: T0 + 10,
            wait: Duration::from_millis(9_500)
        }
    );
    assert_eq!(b.in_flight, 2, "a waiting request reserves nothing");
    // The answers report the budget gone; the slots are back but nothing is left.
    assert!(!b.complete(Some(ok(1, T0 + 10))));
    assert!(!b.complete(Some(ok(0, T0 + 10))));
    assert_eq!(b.in_flight, 0);
    assert!(matches!(
        b.decide(at(T0 + 9), FULL),
        Verdict::WaitForReset { .. }
    ));
}

#[test]
fn at_the_reset_the_window_is_unknown_and_one_probe_learns_the_next_one() {
    let mut b = known(0, T0 + 10);
    assert_eq!(b.decide(at(T0 + 10), FULL), Verdict::Send);
    assert_eq!(b.window, Window::Unknown { ended: T0 + 10 });
    assert_eq!(b.decide(at(T0 + 10), FULL), Verdict::WaitForProbe);
    b.complete(Some(ok(599, T0 + 70)));
    assert_eq!(b.decide(at(T0 + 10), FULL), Verdict::Send);
}

#[test]
fn late_answers_from_an_ended_window_are_ignored() {
    let mut b = known(5, T0 + 10);
    assert_eq!(b.decide(at(T0 + 9), FULL), Verdict::Send); // sent in the old window
    assert_eq!(b.decide(at(T0 + 10), FULL), Verdict::WaitForProbe); // window over, old one in flight
    b.complete(Some(ok(4, T0 + 10)));
    assert_eq!(b.window, Window::Unknown { ended: T0 + 10 });
    assert_eq!(
        b.decide(at(T0 + 10), FULL),
        Verdict::Send,
        "now the probe goes"
    );
}

#[test]
fn a_429_sets_remaining_to_zero_until_the_reset() {
    let mut b = known(50, T0 + 30);
    assert_eq!(b.decide(at(T0), FULL), Verdict::Send);
    // Another client used the bucket up; the 429 may even claim some remain.
    b.complete(Some(throttled(7, T0 + 30)));
    assert_eq!(
        b.window,
        Window::Known {
            limit: Some(600),
            remaining: 0,
            reset: T0 + 30
        }
    );
    assert!(matches!(
        b.decide(at(T0 + 29), FULL),
        Verdict::WaitForReset { reset, .. } if reset == T0 + 30
    ));
}

#[test]
fn a_429_without_a_reset_makes_requests_go_one_at_a_time() {
    let mut b = known(50, T0 + 30);
    b.decide(at(T0), FULL);
    b.complete(Some(Answer {
        throttled: true,
        ..Answer::default()
    }));
    assert!(matches!(b.window, Window::Unknown { .. }));
    assert_eq!(b.decide(at(T0), FULL), Verdict::Send);
    assert_eq!(b.decide(at(T0), FULL), Verdict::WaitForProbe);
}

#[test]
fn out_of_order_answers_keep_the_lowest_remaining_and_a_newer_window_replaces() {
    let mut b = known(10, T0 + 60);
    b.complete(Some(ok(3, T0 + 60)));
    b.complete(Some(ok(8, T0 + 60))); // sent earlier, arrived later
    assert_eq!(
        b.window,
        Window::Known {
            limit: Some(600),
            remaining: 3,
            reset: T0 + 60
        }
    );
    b.complete(Some(ok(9, T0))); // an older window
    assert_eq!(
        b.window,
        Window::Known {
            limit: Some(600),
            remaining: 3,
            reset: T0 + 60
        }
    );
    b.complete(Some(ok(599, T0 + 120)));
    assert_eq!(
        b.window,
        Window::Known {
            limit: Some(600),
            remaining: 599,
            reset: T0 + 120
        }
    );
}

#[test]
fn an_endpoint_without_rate_limit_headers_is_not_held_back() {
    let mut b = Bucket::NEW;
    b.decide(at(T0), FULL);
    b.complete(Some(Answer::default()));
    assert_eq!(b.window, Window::Unlimited);
    for _ in 0..100 {
        assert_eq!(b.decide(at(T0), FULL), Verdict::Send);
    }
    // One answer without headers does not forget a known budget.
    let mut b = known(0, T0 + 60);
    b.complete(Some(Answer::default()));
    assert_eq!(
        b.window,
        Window::Known {
            limit: Some(600),
            remaining: 0,
            reset: T0 + 60
        }
    );
}

#[test]
fn a_probe_that_fails_without_an_answer_lets_the_next_request_probe() {
    let mut b = Bucket::NEW;
    assert_eq!(b.decide(at(T0), FULL), Verdict::Send);
    assert!(b.complete(None), "waiters are woken");
    assert_eq!(b.decide(at(T0), FULL), Verdict::Send);
}

#[test]
fn sleeping_until_the_reset_ends_the_window_even_if_the_clock_estimate_lags() {
    let mut b = known(0, T0 + 10);
    b.reset_passed(T0 + 10);
    assert_eq!(b.window, Window::Unknown { ended: T0 + 10 });
    // A newer window learnt meanwhile is kept.
    let mut b = known(5, T0 + 70);
    b.reset_passed(T0 + 10);
    assert_eq!(
        b.window,
        Window::Known {
            limit: Some(600),
            remaining: 5,
            reset: T0 + 70
        }
    );
}

#[test]
fn buckets_are_keyed_by_method_and_template_and_capped() {
    let store = InProcess::default();
    let path = Cow::Borrowed("/api/v1/users/{userId}");
    let key = |method| BucketKey {
        method,
        template: &path,
    };
    let take = |method| store.take_slot(key(method), at(T0), FULL);
    assert_eq!(take(&Method::GET), Decision::Send(Lease::Local));
    assert_eq!(
        take(&Method::DELETE),
        Decision::Send(Lease::Local),
        "another bucket"
    );
    assert!(matches!(take(&Method::GET), Decision::WaitForProbe { .. }));
    for i in 0..MAX_BUCKETS + 10 {
        let path = Cow::Owned(format!("/api/v1/users/{i}"));
        let mut buckets = store.lock();
        let bucket = buckets.bucket(BucketKey {
            method: &Method::GET,
            template: &path,
        });
        bucket.window = Window::Unlimited; // idle: may be forgotten
    }
    let buckets = store.lock();
    assert!(buckets.len() <= MAX_BUCKETS, "{}", buckets.len());
    // The bucket with requests in flight was kept.
    assert!(buckets.contains("/api/v1/users/{userId}"));
}

#[test]
fn bucket_hasher_is_fnv_1a() {
    // Published FNV-1a 64-bit test vectors.
    for (input, expected) in [
        ("", 0xcbf2_9ce4_8422_2325_u64),
        ("a", 0xaf63_dc4c_8601_ec8c),
        ("foobar", 0x8594_4171_f739_67e8),
    ] {
        let mut h = Fnv1a::default();
        h.write(input.as_bytes());
        assert_eq!(h.finish(), expected, "{input:?}");
    }
}

#[test]
fn near_a_reset_a_request_waits_until_it_surely_lands_in_the_next_window() {
    let mut b = known(50, T0 + 10);
    // The server's time is known to within a second, straddling the reset: wait for it.
    let unsure = ServerTime {
        earliest: after(T0 + 9, SEC / 2).earliest,
        latest: after(T0 + 10, SEC / 2).earliest,
    };
    assert_eq!(
        b.decide(unsure, FULL),
        Verdict::WaitForReset {
            reset: T0 + 10,
            wait: Duration::from_millis(500)
        }
    );
    assert_eq!(b.in_flight, 0);
    // Surely before it: send; surely after it: the probe of the next window.
    let sure = ServerTime {
        earliest: at(T0 + 8).earliest,
        latest: at(T0 + 9).earliest,
    };
    assert_eq!(b.decide(sure, FULL), Verdict::Send);
    b.complete(Some(ok(49, T0 + 10)));
    assert_eq!(b.decide(at(T0 + 10), FULL), Verdict::Send);
    assert_eq!(b.window, Window::Unknown { ended: T0 + 10 });
}

#[test]
fn capacity_keeps_the_rest_of_the_window_for_others_rounding_the_share_down() {
    let half = Capacity::percent(50).unwrap();
    assert_eq!(half.reserve(Some(600)), 300);
    assert_eq!(half.reserve(Some(5)), 3, "50% of 5 is 2");
    assert_eq!(half.reserve(None), 0, "no limit said: nothing to keep");
    assert_eq!(FULL.reserve(Some(600)), 0);
    assert_eq!(
        Capacity::percent(1).unwrap().reserve(Some(u64::MAX)),
        u64::MAX - u64::MAX / 100
    );
    assert_eq!(Capacity::percent(0), None);
    assert_eq!(Capacity::percent(101), None);
}

#[test]
fn with_half_the_capacity_a_fresh_window_of_ten_gives_five_slots() {
    let half = Capacity::percent(50).unwrap();
    let mut b = Bucket {
        window: Window::Known {
            limit: Some(10),
            remaining: 10,
            reset: T0 + 60,
        },
        in_flight: 0,
    };
    for _ in 0..5 {
        assert_eq!(b.decide(at(T0), half), Verdict::Send);
    }
    assert!(matches!(
        b.decide(at(T0), half),
        Verdict::WaitForReset { reset, .. } if reset == T0 + 60
    ));
    // Others used the window meanwhile: our five answers report 2 left, so nothing more goes.
    for _ in 0..5 {
        b.complete(Some(Answer {
            limit: Some(10),
            ..ok(2, T0 + 60)
        }));
    }
    assert!(matches!(
        b.decide(at(T0), half),
        Verdict::WaitForReset { .. }
    ));
    // The next window gives five again (after its probe).
    assert_eq!(b.decide(at(T0 + 60), half), Verdict::Send);
    b.complete(Some(Answer {
        limit: Some(10),
        ..ok(9, T0 + 120)
    }));
    let sent = (0..10)
        .filter(|_| b.decide(at(T0 + 60), half) == Verdict::Send)
        .count();
    assert_eq!(sent, 4, "the probe was the first of five");
}

#[tokio::test]
async fn permits_cap_the_requests_in_flight_and_a_given_back_one_wakes_a_waiter() {
    let store = std::sync::Arc::new(InProcess::default());
    assert_eq!(
        store.take_permit(2),
        PermitDecision::Granted(PermitLease::Local)
    );
    assert_eq!(
        store.take_permit(2),
        PermitDecision::Granted(PermitLease::Local)
    );
    let PermitDecision::Wait { since } = store.take_permit(2) else {
        panic!("a third permit of two");
    };
    assert_eq!(store.permits_taken(), 2);
    let waiter = {
        let store = store.clone();
        tokio::spawn(async move { store.wait(Wait::Permit { since }).await })
    };
    tokio::task::yield_now().await;
    assert!(!waiter.is_finished(), "waits while both are taken");
    store.give_back_permit(PermitLease::Local);
    waiter.await.unwrap();
    assert_eq!(
        store.take_permit(2),
        PermitDecision::Granted(PermitLease::Local)
    );
    assert_eq!(store.permits_taken(), 2);
}

#[tokio::test]
async fn a_permit_given_back_between_the_decision_and_the_wait_is_not_missed() {
    let store = InProcess::default();
    store.take_permit(1);
    let PermitDecision::Wait { since } = store.take_permit(1) else {
        panic!("one permit of one is taken");
    };
    store.give_back_permit(PermitLease::Local);
    // Returns at once: the version moved after the decision.
    store.wait(Wait::Permit { since }).await;
    assert_eq!(
        store.take_permit(1),
        PermitDecision::Granted(PermitLease::Local)
    );
}
