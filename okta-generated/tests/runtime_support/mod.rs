//! Shared by the `runtime_*` integration tests: a test-only RSA key, a tracing subscriber
//! that captures everything as text, and shorthands for mocking Okta and calling it.
#![allow(dead_code)] // each test crate uses part of it

use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use okta_generated::{Client, Error, GenericResponse};
use reqwest::Method;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::{Match, Mock, MockServer, ResponseTemplate};

/// Answers every request `matcher` matches with `template`.
pub async fn mount(server: &MockServer, matcher: impl Match + 'static, template: ResponseTemplate) {
    Mock::given(matcher)
        .respond_with(template)
        .mount(server)
        .await;
}

/// Answers the first request `matcher()` matches with `first`, and every later one with `rest`.
pub async fn mount_first_then<M: Match + 'static>(
    server: &MockServer,
    matcher: impl Fn() -> M,
    first: ResponseTemplate,
    rest: ResponseTemplate,
) {
    Mock::given(matcher())
        .respond_with(first)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    mount(server, matcher(), rest).await;
}

/// `method path` through the generic request, without a body.
pub async fn call(client: &Client, method: Method, path: &str) -> Result<GenericResponse, Error> {
    client.generic_request(method, path).send().await
}

/// `method path` through the generic request, with a JSON body.
pub async fn call_json(
    client: &Client,
    method: Method,
    path: &str,
    body: &serde_json::Value,
) -> Result<GenericResponse, Error> {
    client.generic_request(method, path).json(body).send().await
}

/// TEST-ONLY RSA key (2048 bits), generated for these tests with
/// `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`. Not used anywhere else. In a
/// file of its own, which the runtime's unit tests read too.
pub const TEST_ONLY_KEY_PKCS8: &str = include_str!("test_only_key_pkcs8.pem");

/// The same TEST-ONLY key in PKCS#1 form (`openssl rsa -traditional`).
pub const TEST_ONLY_KEY_PKCS1: &str = "\
-----BEGIN RSA PRIVATE KEY-----
MIIEogIBAAKCAQEA2bHgBOM5E51+sGLTRM1TcGkH7Rb0OAeG9ob93AmvFcXWK0R5
qf1JnCUaRMTSRIreDh6iqGkZhaBAPOyWY9dCnlk1Apc/eyDiOLDrPfvFEiTbt9zU
1uvkQ9YJyQPEddhKz7gw4LttDnKUI4ScJZkv1MHvGYJoVnGTkP03FjKUT0PHuu0O
+vVcjz16loxj6nXSkNY4cA5csda604DpwxBfgb7qx9yw7rYoupW7Al0rp7YEATos
L7S6Q6HdPYVB1kz0tJaj8OQ+FsVbiaEvCbX6/eJO10NdaFnMvKtLcrWMmhyWVW9T
8pauXlyRQqvQ4nehLkJ3fRPJvvxNG5ecx14MOwIDAQABAoIBAAQCVYzG05saCgn5
cbpGl8JnC+Pu9FdyQrVRPh4qce9LGtI7uW9ugFXuVFPLjwhxHn0Cot5YkZqzx/za
zXSss3mMFEDJy4L+fjTyEgzJPAxFGvKP1y/XMtsm9zxj3MLDgCPfvD1fSdO0kNLa
aIUZaLsKgiyXJhDgJnvZB769EysmR2rX5DwrnF673/8qjZMLMRDCSstcdTCTgXSL
eKDH1Rlf+Buf6F3Mtzex2JdJr4Lt87ZeUAuZ1iyDQxsPtcfl7Snz87n7E/PuaeLH
IlVI0RmlbS/p43v/en70oFxab+YPrDyYtjLKg1H+n/vKutFaOiRsAIFgwg/dUCcb
uc4Qnc0CgYEA+/LtCv+NDtilYIRIAJ8WNxjIRLS1BgyxMglrgx2HrZ3x7QgaY+mT
VqRX5b5FsFskQjDFodzZjrmMAkZ/f4nBwAuhLKEaR9lk7HuUaxW5b4XSQWihn0kJ
/DAvX2ls411gNmGRvwftzAgq/N1yShlSy69H8EWS+2cMrHLZqiouQKUCgYEA3THz
vnIB3xX6YDLuw47ldVLuSjQB3oz13+IsV6nO21MJKYduBqm5e50jn+GUoZ5kHMlw
Sv43MHYpNt4moi1nGWUGaIOMgyucl8MdA9+FlvRBvoD2gCcMu0gN0bE7aPIqW/Ww
8QprQWrcrtsHIMrg2uuU4tAm1rghBWEEXJfvo18CgYBGBX/HvLpRU/iyWFFCivQ7
n9GY9rgQ1Foy09dje0OIBwuDmurqtbHTNJ2RJk5r8wiitLdYgu6b8gltYHZy1bBZ
VWIX6zZInayk5Luc/06oJgMHVrMEd+Ikiqe/1qcCkaL5uigtdWCrgeGgoVLwMRWH
slFF/7AX2s30536DAnIUWQKBgHwQ441DdwdA1ZGVn9RyVwOKg3t9VjsUx2hO/N4i
sZLVLUNs4eq80fuitPOdXHeWVsLKvcBifGQjMpTC39qBKt3Ui1adyndcQ9Xfq2ub
uNtln2aSATD6NirpjE68YP1JLzcrRJa+aFBl9ufglEvxX1OLZZQeelpfJq5Ur1Sc
J95zAoGAeWSfmbmzdNmAcHy9tDptnTP5SLXLJ839J/WBFk9Ynni4eOWmCCqKS2se
9HemOuc2X3+tSKBpW6I2ZijDKMjz5e+gGU1JBMtMn0O/pPvjfz84NVCBhtCAItb+
JXUAdm4Fi/g8664CmCnTyHnqLjO+mWgth0UYbdVjii1i8xFMYcE=
-----END RSA PRIVATE KEY-----
";

/// Records every span and event, with all their fields, as text.
#[derive(Clone, Default)]
pub struct Capture {
    log: Arc<Mutex<String>>,
    next_id: Arc<AtomicU64>,
}

struct Fields<'a>(&'a mut String);
impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Capture {
    pub fn text(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Capture everything traced on this thread until the guard drops. (`#[tokio::test]` runs
    /// the test and the tasks it spawns on its one thread.)
    ///
    /// Not `tracing::subscriber::set_default`: with thread-local subscribers in tests running in
    /// parallel, tracing may cache a callsite as uninteresting while no capture is alive, and
    /// an event is then lost at random. One global router that is always interested has no
    /// such race; it hands each event to the capture installed on the current thread.
    pub fn install(&self) -> CaptureGuard {
        static ROUTER: OnceLock<()> = OnceLock::new();
        ROUTER.get_or_init(|| {
            tracing::subscriber::set_global_default(Router)
                .expect("no other global subscriber in the runtime tests");
        });
        CURRENT.with(|c| *c.borrow_mut() = Some(self.clone()));
        CaptureGuard
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Capture>> = const { RefCell::new(None) };
}

/// Uninstalls the thread's capture.
pub struct CaptureGuard;

impl Drop for CaptureGuard {
    fn drop(&mut self) {
        CURRENT.with(|c| *c.borrow_mut() = None);
    }
}

/// The global subscriber: forwards to the current thread's capture, if any.
struct Router;

fn current() -> Option<Capture> {
    CURRENT.with(|c| c.borrow().clone())
}

impl Subscriber for Router {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        match current() {
            Some(c) => c.new_span(span),
            None => Id::from_u64(u64::MAX),
        }
    }
    fn record(&self, id: &Id, values: &Record<'_>) {
        if let Some(c) = current() {
            c.record(id, values);
        }
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        if let Some(c) = current() {
            c.event(event);
        }
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut log = self.log.lock().unwrap();
        let _ = write!(
            log,
            "\nspan {} {}",
            span.metadata().level(),
            span.metadata().name()
        );
        span.record(&mut Fields(&mut log));
        Id::from_u64(self.next_id.fetch_add(1, Ordering::SeqCst) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut log = self.log.lock().unwrap();
        log.push_str("\nrecord");
        values.record(&mut Fields(&mut log));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut log = self.log.lock().unwrap();
        let _ = write!(log, "\nevent {}", event.metadata().level());
        event.record(&mut Fields(&mut log));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}
