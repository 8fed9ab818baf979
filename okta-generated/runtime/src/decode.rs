//! Decoding a 2xx answer's body: JSON into the action's type, or text.

use std::fmt;
use std::marker::PhantomData;

use reqwest::header::HeaderMap;
use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use super::error::{request_id, Error};
use okta_generated_models::json_path;

/// Decodes a JSON body; on failure names the JSON path of the offending field.
#[inline]
pub(crate) fn decode_json<T: DeserializeOwned>(
    operation: &'static str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, Error> {
    decode_seeded(operation, headers, body, PhantomData::<T>)
}

/// Decodes one page of a list paged in the body: the items in the object's field `items_field`
/// (none when the field is absent or null), and the next page's URL, `_links.next.href`, as sent.
pub(crate) fn decode_body_page<T: DeserializeOwned>(
    operation: &'static str,
    headers: &HeaderMap,
    body: &[u8],
    items_field: &'static str,
) -> Result<(Vec<T>, Option<String>), Error> {
    let seed = BodyPage::<T> {
        items_field,
        item: PhantomData,
    };
    decode_seeded(operation, headers, body, seed)
}

/// Decodes `body` with `seed` (the whole body: trailing characters are an error); a failure is
/// an `Error::Decode` naming the JSON path of the offending field.
///
/// An answer can be several KB (a user is about 4 KB of fields) and every move of it between
/// stack slots is a copy paid on each call, so this is inlined and written so that the decoded
/// value goes from the decoder's result straight into this function's (one copy, as
/// `serde_json::from_slice` makes); the failure path is out of line.
#[inline]
fn decode_seeded<'de, S>(
    operation: &'static str,
    headers: &HeaderMap,
    body: &'de [u8],
    seed: S,
) -> Result<S::Value, Error>
where
    S: DeserializeSeed<'de> + Clone,
{
    // serde_path_to_error allocates a string for every object key it passes, to know the path
    // if something fails; so decode with plain serde_json, and only after a failure decode again
    // to find the path.
    let mut de = serde_json::Deserializer::from_slice(body);
    match seed.clone().deserialize(&mut de) {
        Ok(value) if de.end().is_ok() => Ok(value),
        _ => Err(decode_failure(operation, headers, body, seed)),
    }
}

/// The error of a body that did not decode: decodes it again, tracking the JSON path, to say
/// where it failed (decoding is deterministic, so it fails again, in the same place).
#[cold]
#[inline(never)]
fn decode_failure<'de, S: DeserializeSeed<'de>>(
    operation: &'static str,
    headers: &HeaderMap,
    body: &'de [u8],
    seed: S,
) -> Error {
    let mut de = serde_json::Deserializer::from_slice(body);
    let mut track = serde_path_to_error::Track::new();
    let (path, source) =
        match seed.deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track)) {
            Err(e) => (json_path(&track.path()), e),
            // The value decoded, so what failed is the end: trailing characters after it.
            Ok(_) => match de.end() {
                Err(e) => (".".to_owned(), e),
                Ok(()) => (
                    ".".to_owned(),
                    serde::de::Error::custom("the body decoded only when decoded again"),
                ),
            },
        };
    Error::Decode {
        operation,
        path,
        request_id: request_id(headers),
        source,
    }
}

/// The seed of [`decode_body_page`]: a map whose `items_field` holds the items and whose
/// `_links.next.href` names the next page; every other field is skipped.
struct BodyPage<T> {
    items_field: &'static str,
    item: PhantomData<T>,
}

// Not derived: a derive would ask for `T: Clone`, which the items need not be.
impl<T> Clone for BodyPage<T> {
    fn clone(&self) -> Self {
        BodyPage {
            items_field: self.items_field,
            item: PhantomData,
        }
    }
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for BodyPage<T> {
    type Value = (Vec<T>, Option<String>);

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for BodyPage<T> {
    type Value = (Vec<T>, Option<String>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "an object with the page's items in `{}`",
            self.items_field
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        let mut next = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.items_field {
                items = map.next_value::<Option<Vec<T>>>()?.unwrap_or_default();
            } else if key == "_links" {
                // Links are Okta's HAL: read leniently, a link that is not there is no page.
                let links: serde_json::Value = map.next_value()?;
                next = links
                    .pointer("/next/href")
                    .and_then(|href| href.as_str())
                    .map(str::to_owned);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok((items, next))
    }
}

/// The body of a text response (XML metadata, PEM). Okta sends UTF-8; anything else is kept
/// with U+FFFD in place of the bytes that are not.
pub(crate) fn decode_text(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_error_names_the_json_path() {
        #[derive(serde::Deserialize, Debug)]
        struct User {
            #[allow(dead_code)]
            profile: Profile,
        }
        #[derive(serde::Deserialize, Debug)]
        struct Profile {
            #[allow(dead_code)]
            login: String,
        }
        let body = br#"[{"profile":{"login":"a"}},{"profile":{"login":7}}]"#;
        let err = decode_json::<Vec<User>>("listUsers", &HeaderMap::new(), body).unwrap_err();
        match err {
            Error::Decode { path, .. } => assert_eq!(path, "[1].profile.login"),
            other => panic!("expected Decode, got {other:?}"),
        }
        // Trailing characters after a value that decodes: the error is at the root, and says so.
        let err = decode_json::<Vec<User>>("listUsers", &HeaderMap::new(), b"[] x").unwrap_err();
        match err {
            Error::Decode { path, source, .. } => {
                assert_eq!(path, ".");
                assert!(
                    source.to_string().contains("trailing characters"),
                    "{source}"
                );
            }
            other => panic!("expected Decode, got {other:?}"),
        }
    }
}
