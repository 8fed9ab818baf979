//! Pagination: `Page<T>`, the runtime functions that send a list request (`send_page`) or
//! stream all its items (`stream`), and Okta's `Link: <url>; rel="next"` headers.

use std::fmt;

use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use reqwest::header::{HeaderMap, LINK};
use reqwest::Url;
use serde::de::DeserializeOwned;

use super::client::Client;
use super::decode::{decode_body_page, decode_json};
use super::error::Error;
use super::exchange::Exchange;
use super::request::JSON;
use super::request::{NextLink, Request};
use super::response_future::ResponseFuture;

/// One page of a paginated list, plus what it takes to fetch the next one.
pub struct Page<T> {
    items: Vec<T>,
    next: Option<NextLink>,
    client: Client,
}

impl<T> Page<T> {
    pub(crate) fn new(items: Vec<T>, next: Option<NextLink>, client: Client) -> Self {
        Page {
            items,
            next,
            client,
        }
    }

    pub(crate) fn into_parts(self) -> (Vec<T>, Option<NextLink>) {
        (self.items, self.next)
    }

    pub fn items(&self) -> &[T] {
        &self.items
    }

    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// The `rel="next"` link of this page, if there is a next page.
    pub fn next_url(&self) -> Option<&str> {
        self.next.as_ref().map(|n| n.url.as_str())
    }

    pub fn has_next(&self) -> bool {
        self.next.is_some()
    }

    /// Fetches the next page (same credentials, retries and operation), or `None` on the last.
    pub async fn next_page(&self) -> Result<Option<Page<T>>, Error>
    where
        T: DeserializeOwned,
    {
        match &self.next {
            None => Ok(None),
            Some(next) => self
                .client
                .clone()
                .send_page(next.request())
                .await
                .map(Some),
        }
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Page<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<T: fmt::Debug> fmt::Debug for Page<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Page")
            .field("items", &self.items)
            .field("next_url", &self.next_url())
            .finish()
    }
}

// The contract with the generated code for actions whose answer is a page.
impl Client {
    /// Sends a list request and returns its first page.
    #[doc(hidden)] // the contract with the generated code
    pub fn send_page<T: DeserializeOwned>(self, req: Request) -> ResponseFuture<Page<T>> {
        ResponseFuture::new(self.exchange(req, JSON), |ex| {
            let Exchange {
                client,
                request,
                response,
            } = ex;
            let (op, headers, body) = (request.op.id, &response.headers, &response.body);
            let (items, next): (Vec<T>, _) = match request.page_items {
                None => (decode_json(op, headers, body)?, link_header_next(headers)),
                Some(field) => {
                    let (items, href) = decode_body_page(op, headers, body, field)?;
                    (items, href.map(std::borrow::Cow::Owned))
                }
            };
            // Next-page links may be relative to the URL requested (built again rather than
            // kept by every call for the few that page).
            let next = match next {
                Some(raw) => next_url(&raw, &client.url_for(&request)?),
                None => None,
            };
            let next = next.map(|url| request.follow(url));
            Ok(Page::new(items, next, client))
        })
    }

    /// All items of a paginated list, one by one. A page is fetched only when the previous one
    /// has been drained, so one page is in memory at a time. The stream ends after an error.
    #[doc(hidden)] // the contract with the generated code
    pub fn stream<T: DeserializeOwned + Send + 'static>(
        self,
        req: Request,
    ) -> BoxStream<'static, Result<T, Error>> {
        futures_util::stream::try_unfold(Some(req), move |next| {
            let client = self.clone();
            async move {
                let Some(req) = next else {
                    return Ok(None);
                };
                let (items, next) = client.send_page::<T>(req).await?.into_parts();
                Ok(Some((items, next.map(|link| link.request()))))
            }
        })
        .map_ok(|items| futures_util::stream::iter(items.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
    }
}

/// The next-page link of the `Link` headers of a response, as sent; `None` on the last page.
fn link_header_next(headers: &HeaderMap) -> Option<std::borrow::Cow<'_, str>> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(find_next)
        .map(std::borrow::Cow::Borrowed)
}

/// A next-page link (from a `Link` header or a body's `_links.next.href`) resolved against the
/// URL of the page it came with. `None` when it does not parse, or points back at `current`
/// (which would loop). Its origin is checked before anything is sent to it.
fn next_url(raw: &str, current: &Url) -> Option<Url> {
    let url = current.join(raw).ok()?;
    if url == *current {
        tracing::debug!("ignoring a next-page link to the page itself");
        return None;
    }
    Some(url)
}

/// Finds the `rel="next"` target in one `Link` header value (RFC 8288), which may hold several
/// comma-separated links: `<https://a>; rel="self", <https://b>; rel=next`.
fn find_next(value: &str) -> Option<&str> {
    let mut rest = value;
    loop {
        let start = rest.find('<')?;
        let end = start + rest[start..].find('>')?;
        let target = &rest[start + 1..end];
        // Parameters run to the next comma outside a quoted string.
        let after = &rest[end + 1..];
        let mut in_quotes = false;
        let params_end = after
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    in_quotes = !in_quotes;
                }
                c == ',' && !in_quotes
            })
            .map_or(after.len(), |(i, _)| i);
        if is_rel_next(&after[..params_end]) {
            return Some(target.trim());
        }
        rest = &after[params_end..];
    }
}

/// Whether link parameters (`; rel="next"`, `;rel=next`, `; rel="prev next"`) include rel=next.
fn is_rel_next(params: &str) -> bool {
    params.split(';').any(|param| {
        let Some((name, value)) = param.split_once('=') else {
            return false;
        };
        name.trim().eq_ignore_ascii_case("rel")
            && value
                .trim()
                .trim_matches('"')
                .split_whitespace()
                .any(|rel| rel.eq_ignore_ascii_case("next"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn link_headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(LINK, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn next_of(values: &[&str]) -> Option<String> {
        let current = Url::parse("https://acme.okta.com/api/v1/users?limit=2").unwrap();
        link_header_next(&link_headers(values))
            .and_then(|raw| next_url(&raw, &current))
            .map(String::from)
    }

    #[test]
    fn link_next_in_its_own_header_after_self() {
        assert_eq!(
            next_of(&[
                r#"<https://acme.okta.com/api/v1/users?limit=2>; rel="self""#,
                r#"<https://acme.okta.com/api/v1/users?after=00u2&limit=2>; rel="next""#,
            ])
            .as_deref(),
            Some("https://acme.okta.com/api/v1/users?after=00u2&limit=2")
        );
    }

    #[test]
    fn link_next_comma_separated_in_one_header() {
        assert_eq!(
            next_of(&[
                r#"<https://acme.okta.com/api/v1/users?limit=2>; rel="self", <https://acme.okta.com/api/v1/users?after=x&limit=2>; rel="next""#
            ])
            .as_deref(),
            Some("https://acme.okta.com/api/v1/users?after=x&limit=2")
        );
    }

    #[test]
    fn link_rel_unquoted_spaced_uppercase_or_multi_valued() {
        let expected = Some("https://acme.okta.com/n".to_owned());
        assert_eq!(next_of(&["<https://acme.okta.com/n>;rel=next"]), expected);
        assert_eq!(
            next_of(&["<https://acme.okta.com/n> ; REL = \"Next\""]),
            expected
        );
        assert_eq!(
            next_of(&[r#"<https://acme.okta.com/n>; rel="prev next""#]),
            expected
        );
        assert_eq!(
            next_of(&[r#"<https://acme.okta.com/n>; title="a, b; rel=x"; rel=next"#]),
            expected
        );
    }

    #[test]
    fn link_without_next_is_the_last_page() {
        assert_eq!(
            next_of(&[r#"<https://acme.okta.com/api/v1/users>; rel="self""#]),
            None
        );
        assert_eq!(next_of(&[]), None);
        assert_eq!(next_of(&["garbage"]), None);
        assert_eq!(next_of(&["<https://acme.okta.com/n"]), None);
        // `next` as a substring of another rel is not `next`
        assert_eq!(
            next_of(&[r#"<https://acme.okta.com/n>; rel="nextish""#]),
            None
        );
    }

    #[test]
    fn link_relative_target_is_resolved_against_the_request_url() {
        assert_eq!(
            next_of(&[r#"</api/v1/users?after=x>; rel="next""#]).as_deref(),
            Some("https://acme.okta.com/api/v1/users?after=x")
        );
    }

    #[test]
    fn link_to_the_current_page_is_ignored() {
        assert_eq!(
            next_of(&[r#"<https://acme.okta.com/api/v1/users?limit=2>; rel="next""#]),
            None
        );
    }
}
