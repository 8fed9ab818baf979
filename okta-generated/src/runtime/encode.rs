//! Percent-encoding of path segments and query strings.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything except RFC 3986 "unreserved" characters (`A-Z a-z 0-9 - . _ ~`) is encoded.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment, so `/`, `?`, `#`, `%`, `+`, spaces and unicode never change
/// the shape of the path: `dana+test@example.com` → `dana%2Btest%40example.com`.
#[allow(dead_code)] // called by the generated code; unused when no category feature is on
pub(crate) fn encode_path_segment(s: &str) -> String {
    utf8_percent_encode(s, NOT_UNRESERVED).to_string()
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

    #[test]
    fn path_segment_encodes_everything_but_unreserved() {
        assert_eq!(
            encode_path_segment("dana+test@example.com"),
            "dana%2Btest%40example.com"
        );
        assert_eq!(encode_path_segment("a/b"), "a%2Fb");
        assert_eq!(encode_path_segment("x y"), "x%20y");
        assert_eq!(encode_path_segment("100%"), "100%25");
        assert_eq!(encode_path_segment("?#"), "%3F%23");
        assert_eq!(encode_path_segment("josé"), "jos%C3%A9");
        assert_eq!(encode_path_segment("日本"), "%E6%97%A5%E6%9C%AC");
        assert_eq!(encode_path_segment("A-z_0.9~"), "A-z_0.9~");
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
