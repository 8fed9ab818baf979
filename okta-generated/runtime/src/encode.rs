//! Percent-encoding of path segments and query strings.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::Url;

use super::error::Error;

/// Everything except RFC 3986 "unreserved" characters (`A-Z a-z 0-9 - . _ ~`) is encoded.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment, so `/`, `?`, `#`, `%`, `+`, spaces and unicode never change
/// the shape of the path: `dana+test@example.com` → `dana%2Btest%40example.com`.
///
/// Returns the encoding to format into the path (`format!("/api/v1/users/{}", ..)`), so the
/// segment is not built as a string of its own first.
pub fn encode_path_segment(s: &str) -> PathSegment<'_> {
    PathSegment(s)
}

/// A path segment, percent-encoded when formatted; see [`encode_path_segment`].
pub struct PathSegment<'a>(&'a str);

impl fmt::Display for PathSegment<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Most values (Okta ids) need no escape: written as they are, without the encoder's
        // per-chunk writes.
        let unreserved =
            |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        if self.0.bytes().all(unreserved) {
            f.write_str(self.0)
        } else {
            fmt::Display::fmt(&utf8_percent_encode(self.0, NOT_UNRESERVED), f)
        }
    }
}

/// Refuses a request path that would not reach Okta as written, before anything is sent:
///
/// - an empty segment where the template has a path parameter: `get_user("")` would request
///   `/api/v1/users/`, which Okta routes to *list users*, a silent wrong call;
/// - a dot segment (`.` or `..`, also percent-encoded as `%2e`, which URL parsers treat the same):
///   URL resolution removes it, so `get_user("..")` would request `/api/v1/` instead.
///
/// `template` is the operation's path template (`/api/v1/users/{userId}`), or `""` for a generic
/// request, whose caller wrote the whole path: there only dot segments are refused.
pub(crate) fn check_path(operation: &str, template: &str, path: &str) -> Result<(), Error> {
    // Either may carry a fixed query (`.../expire_password?tempPassword=false`). Plain byte loops,
    // no allocation unless there is a problem: this runs on every call, on short strings, where
    // `str::split` with its searcher costs more than the scan.
    fn before_query(s: &str) -> &[u8] {
        let s = s.as_bytes();
        let end = s.iter().position(|&b| b == b'?' || b == b'#');
        &s[..end.unwrap_or(s.len())]
    }
    if !may_have_bad_segment(path.as_bytes()) {
        return Ok(());
    }
    check_segments(operation, before_query(template), before_query(path))
}

/// `check_path`'s check of every segment, for a path and template without their queries.
fn check_segments(operation: &str, template: &[u8], path: &[u8]) -> Result<(), Error> {
    let mut template_segments = template.split(|&b| b == b'/');
    for (i, segment) in path.split(|&b| b == b'/').enumerate() {
        let param = template_segments
            .next()
            .and_then(|t| t.strip_prefix(b"{")?.strip_suffix(b"}"));
        // Segment 0 is the empty string before the leading '/'.
        if i == 0 {
            continue;
        }
        let shown = || String::from_utf8_lossy(segment);
        let problem = if is_dot_segment(segment) {
            format!(
                "is {:?}, which URL resolution would remove from the path",
                shown()
            )
        } else if segment.is_empty() && param.is_some() {
            "is empty, so the request would go to another endpoint".to_owned()
        } else {
            continue;
        };
        return Err(Error::Config(match param {
            Some(name) => format!(
                "{operation}: path parameter `{}` {problem}",
                String::from_utf8_lossy(name)
            ),
            None => format!(
                "{operation}: segment {i} of the path {:?} {problem}",
                String::from_utf8_lossy(path)
            ),
        }));
    }
    Ok(())
}

/// Whether some segment of `path` (up to its query) is empty or starts with `.` or `%`, the
/// only segments `check_path` can refuse. One pass over the bytes: most paths have none, and
/// are not split at all.
fn may_have_bad_segment(path: &[u8]) -> bool {
    let mut after_slash = false;
    for &b in path {
        match b {
            // An empty last segment, before the query.
            b'?' | b'#' => return after_slash,
            b'/' | b'.' | b'%' if after_slash => return true,
            _ => after_slash = b == b'/',
        }
    }
    // A trailing '/' leaves an empty last segment.
    after_slash
}

/// `.` or `..`, with any of the dots written `%2e`/`%2E` (the URL Standard resolves those too).
fn is_dot_segment(segment: &[u8]) -> bool {
    let mut rest = segment;
    let mut dots = 0;
    while !rest.is_empty() {
        if rest[0] == b'.' {
            rest = &rest[1..];
        } else if rest.len() >= 3 && rest[..3].eq_ignore_ascii_case(b"%2e") {
            rest = &rest[3..];
        } else {
            return false;
        }
        dots += 1;
    }
    dots == 1 || dots == 2
}

/// `url::ParseError` (the `url` crate is reached through reqwest, which does not re-export it).
pub(crate) type UrlError = <Url as std::str::FromStr>::Err;

/// `base` (an org URL, whose path is `/`) joined with `path` (which starts with one `/`): the
/// URL `Url::parse(base + path)` gives, without parsing the scheme and host again. Parsing the
/// host (IDNA included) is most of the cost of parsing a URL, and this runs on every call.
pub(crate) fn join_path(base: &Url, path: &str) -> Result<Url, UrlError> {
    // Controls and spaces (which a parse trims or removes, so "/\t/" would become "//", a
    // host) and backslashes (a '/' in an https URL): the whole URL is parsed. Rare.
    if path.bytes().any(|b| b <= b' ' || b == b'\\') {
        let base = base.as_str();
        return Url::parse(&format!("{}{path}", base.strip_suffix('/').unwrap_or(base)));
    }
    base.join(path)
}

/// Builds a query string (`a=1&b=x%20y`) from name/value pairs, encoding each exactly once.
///
/// Spaces become `%20` and `+` becomes `%2B`, which every decoder (form-style or RFC 3986)
/// reads back unchanged.
pub(crate) fn encode_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.extend(utf8_percent_encode(name, NOT_UNRESERVED));
        out.push('=');
        out.extend(utf8_percent_encode(value, NOT_UNRESERVED));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use percent_encoding::percent_decode_str;
    use proptest::prelude::*;

    /// Strings made to break URLs: every character that means something in a URL or a query,
    /// percent signs that look like escapes, controls, dots, non-ASCII and astral characters,
    /// mixed with arbitrary Unicode scalar values.
    pub(crate) fn hostile_string() -> impl Strategy<Value = String> {
        let special = prop::sample::select(vec![
            '/', '?', '#', '%', '+', ' ', '&', '=', ';', ':', '@', '.', '\\', '[', ']', '{', '}',
            '"', '\'', '<', '>', '`', '|', '^', '~', '-', '_', '!', '$', '*', ',', '\0', '\t',
            '\n', '\r', '\u{7f}', '\u{85}', '\u{a0}', '\u{200b}', '\u{feff}', 'é', '日', '😀',
        ]);
        let chars = prop::collection::vec(prop_oneof![special, any::<char>()], 0..24);
        prop_oneof![
            chars.prop_map(String::from_iter),
            // Strings that are (or contain) escapes already: they must be encoded again.
            prop::sample::select(vec![
                "%2e", "%2E%2e", "%", "%%", "%zz", "%2F", "a%20b", "+%2B"
            ])
            .prop_map(str::to_owned),
        ]
    }

    fn decode(s: &str) -> String {
        percent_decode_str(s).decode_utf8().unwrap().into_owned()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// Any string but `""`, `.` and `..` (refused by `check_path`) survives URL parsing as
        /// exactly one path segment that decodes back to itself.
        #[test]
        fn encoded_path_segment_is_one_segment_that_decodes_back(s in hostile_string()) {
            let encoded = encode_path_segment(&s).to_string();
            prop_assert!(
                encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
                "{encoded}"
            );
            let path = format!("/api/v1/users/{encoded}/roles");
            let refused = check_path("op", "/api/v1/users/{userId}/roles", &path);
            if s.is_empty() || s == "." || s == ".." {
                prop_assert!(matches!(refused, Err(Error::Config(_))), "{s:?}");
                return Ok(());
            }
            prop_assert!(refused.is_ok(), "{s:?}: {refused:?}");
            let url = Url::parse(&format!("https://acme.okta.com{path}")).unwrap();
            let segments: Vec<&str> = url.path_segments().unwrap().collect();
            prop_assert_eq!(&segments, &["api", "v1", "users", encoded.as_str(), "roles"]);
            prop_assert_eq!(decode(segments[3]), s);
        }

        /// Every name/value pair comes back exactly, in order, whether the server decodes the
        /// query form-style (`+` is a space) or by RFC 3986 (`+` is a plus).
        #[test]
        fn encoded_query_decodes_back_form_style_and_rfc3986(
            pairs in prop::collection::vec((hostile_string(), hostile_string()), 1..5)
        ) {
            let query = encode_query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            let mut url = Url::parse("https://acme.okta.com/api/v1/users").unwrap();
            url.set_query(Some(&query));
            // The URL parser keeps the query as built: nothing re-encoded, nothing dropped.
            prop_assert_eq!(url.query(), Some(query.as_str()));
            let form: Vec<(String, String)> = url.query_pairs().into_owned().collect();
            prop_assert_eq!(&form, &pairs);
            let rfc3986: Vec<(String, String)> = query
                .split('&')
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap();
                    (decode(k), decode(v))
                })
                .collect();
            prop_assert_eq!(&rfc3986, &pairs);
        }
    }

    proptest! {
        /// The one-pass filter never lets through a path the segment-by-segment check refuses.
        #[test]
        fn paths_passed_by_the_quick_scan_pass_the_full_check(
            segments in prop::collection::vec(
                prop_oneof![
                    hostile_string(),
                    prop::sample::select(vec!["", ".", "..", "%2e", "%2E.", ".%2e"])
                        .prop_map(str::to_owned),
                ],
                0..6,
            ),
            generic in any::<bool>(),
        ) {
            let path = format!("/{}", segments.join("/"));
            let template = if generic {
                String::new()
            } else {
                format!("/{}", vec!["{p}"; segments.len()].join("/"))
            };
            // As `check_path` hands them over: without the query, if any.
            let before_query = path.split(['?', '#']).next().unwrap_or_default();
            let full = check_segments("op", template.as_bytes(), before_query.as_bytes());
            if !may_have_bad_segment(path.as_bytes()) {
                prop_assert!(full.is_ok(), "{path:?}: {full:?}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// Joining a path to the org URL gives exactly the URL that parsing the two as one
        /// string gives, whatever the path holds (queries, fragments, escapes, dots, unicode).
        #[test]
        fn joined_path_is_the_url_parsed_from_base_and_path(
            segments in prop::collection::vec(hostile_string(), 0..5),
            base in prop::sample::select(vec![
                "https://acme.okta.com",
                "http://127.0.0.1:8080",
                "https://xn--bcher-kva.example",
                "http://[::1]:9",
            ]),
        ) {
            let path = format!("/{}", segments.join("/"));
            prop_assume!(!path.starts_with("//"));
            let base_url = Url::parse(base).unwrap();
            let parsed = Url::parse(&format!("{base}{path}"));
            let joined = join_path(&base_url, &path);
            prop_assert_eq!(
                joined.as_ref().map(Url::as_str).ok(),
                parsed.as_ref().map(Url::as_str).ok(),
                "{:?}", path
            );
        }
    }

    #[test]
    fn empty_and_dot_path_parameters_are_refused_naming_the_parameter() {
        let template = "/api/v1/users/{userId}/lifecycle/expire_password?tempPassword=false";
        for (value, problem) in [
            ("", "is empty"),
            (".", "URL resolution would remove"),
            ("..", "URL resolution would remove"),
        ] {
            let path =
                format!("/api/v1/users/{value}/lifecycle/expire_password?tempPassword=false");
            match check_path("expirePassword", template, &path) {
                Err(Error::Config(msg)) => {
                    assert!(
                        msg.starts_with("expirePassword: path parameter `userId`"),
                        "{msg}"
                    );
                    assert!(msg.contains(problem), "{msg}");
                }
                other => panic!("{value:?}: expected Error::Config, got {other:?}"),
            }
        }
        // Only a whole dot segment is one; `...` and an encoded `%252e` are plain values.
        for ok in ["...", ".a", "%252e", "00u1"] {
            let path = format!("/api/v1/users/{ok}");
            assert!(
                check_path("getUser", "/api/v1/users/{userId}", &path).is_ok(),
                "{ok}"
            );
        }
    }

    #[test]
    fn generic_paths_refuse_dot_segments_in_any_spelling_but_allow_empty_ones() {
        for bad in [
            "/api/v1/users/..",
            "/api/v1/./users",
            "/api/v1/users/%2E%2e/x",
            "/a/%2e?q=1",
        ] {
            assert!(
                matches!(check_path("genericRequest", "", bad), Err(Error::Config(_))),
                "{bad}"
            );
        }
        for ok in ["/api/v1/users/", "/api/v1/users?q=..", "/api/v1/users/a..b"] {
            assert!(check_path("genericRequest", "", ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn path_segment_encodes_everything_but_unreserved() {
        assert_eq!(
            encode_path_segment("dana+test@example.com").to_string(),
            "dana%2Btest%40example.com"
        );
        assert_eq!(encode_path_segment("a/b").to_string(), "a%2Fb");
        assert_eq!(encode_path_segment("x y").to_string(), "x%20y");
        assert_eq!(encode_path_segment("100%").to_string(), "100%25");
        assert_eq!(encode_path_segment("?#").to_string(), "%3F%23");
        assert_eq!(encode_path_segment("josé").to_string(), "jos%C3%A9");
        assert_eq!(
            encode_path_segment("日本").to_string(),
            "%E6%97%A5%E6%9C%AC"
        );
        assert_eq!(encode_path_segment("A-z_0.9~").to_string(), "A-z_0.9~");
    }

    #[test]
    fn query_values_are_encoded_once_and_plus_differs_from_space() {
        let q = encode_query([
            ("q", "dana+test@example.com"),
            ("filter", "x y"),
            ("p", "100%"),
        ]);
        assert_eq!(q, "q=dana%2Btest%40example.com&filter=x%20y&p=100%25");
    }
}
