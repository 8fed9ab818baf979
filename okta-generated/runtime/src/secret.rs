//! A string that must never be printed: API tokens, access tokens, private keys.

use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderValue;

/// Holds a secret. `Debug` prints `"***"`; there is deliberately no `Display`.
#[derive(Clone)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that needs it (a header, a signer).
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

/// Secrets shorter than this are not scrubbed: no real credential is that short, and replacing
/// them would garble ordinary text.
const MIN_SCRUBBED_LEN: usize = 8;

/// `body` with every occurrence of `secret` replaced by `***`. Some proxies and gateways echo the
/// request, headers and form included, in their error pages; what the client keeps of an error
/// body (an [`ApiError`](super::ApiError)'s snippet, an OAuth error description) must not carry
/// the credential along.
pub(crate) fn scrub(body: Bytes, secret: &[u8]) -> Bytes {
    let find = |haystack: &[u8]| haystack.windows(secret.len()).position(|w| w == secret);
    if secret.len() < MIN_SCRUBBED_LEN || find(&body).is_none() {
        return body;
    }
    let mut out = Vec::with_capacity(body.len());
    let mut rest = &body[..];
    while let Some(at) = find(rest) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(b"***");
        rest = &rest[at + secret.len()..];
    }
    out.extend_from_slice(rest);
    out.into()
}

/// The credential in an `Authorization` value: what follows the scheme (`SSWS`, `Bearer`).
pub(crate) fn credential(authorization: &HeaderValue) -> &[u8] {
    let value = authorization.as_bytes();
    match value.iter().position(|b| *b == b' ') {
        Some(space) => &value[space + 1..],
        None => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_secret_is_redacted() {
        let s = Secret::new("00abcdefSECRET");
        assert_eq!(format!("{s:?}"), "\"***\"");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some(\"***\")");
        assert_eq!(s.expose(), "00abcdefSECRET");
    }

    #[test]
    fn scrub_replaces_every_occurrence_and_leaves_short_secrets_alone() {
        let body =
            Bytes::from_static(b"Authorization: SSWS 00tokenXYZ; again 00tokenXYZ00tokenXYZ.");
        assert_eq!(
            &scrub(body.clone(), b"00tokenXYZ")[..],
            b"Authorization: SSWS ***; again ******."
        );
        assert_eq!(scrub(body.clone(), b"SSWS"), body);
        assert_eq!(scrub(body.clone(), b"not-in-there"), body);
        assert_eq!(&scrub(Bytes::new(), b"00tokenXYZ")[..], b"");
    }

    #[test]
    fn credential_is_what_follows_the_scheme() {
        let value = HeaderValue::from_static("Bearer eyJ.abc.def");
        assert_eq!(credential(&value), b"eyJ.abc.def");
        assert_eq!(credential(&HeaderValue::from_static("opaque")), b"opaque");
    }
}
