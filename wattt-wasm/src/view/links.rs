//! The links between Wattt and My Home: where My Home is by default (the
//! sibling app of the same site), the return URL Wattt puts in a consent
//! request (with the request's number, so the answer is matched to it),
//! and the answer read back.

use browser_app::consent_link::{check_web_url, ConsentAnswer};

/// The query parameter of the return URL that names the request.
pub const REQUEST: &str = "request";

/// My Home next to Wattt on the same site: `…/wattt/` → `…/my-home/`.
/// `page` is Wattt's own URL (its query and fragment are dropped).
pub fn sibling_my_home(page: &str) -> String {
    let base = page.split(['?', '#']).next().unwrap_or(page);
    let (origin, path) = match base.find("://").map(|i| i + 3) {
        Some(after_scheme) => match base[after_scheme..].find('/') {
            Some(slash) => base.split_at(after_scheme + slash),
            None => (base, "/"),
        },
        None => ("", base),
    };
    let path = path.strip_suffix("index.html").unwrap_or(path);
    let directory = path.trim_end_matches('/');
    let parent = directory.rsplit_once('/').map_or("", |(parent, _)| parent);
    format!("{origin}{parent}/my-home/")
}

/// Checks a My Home URL the user typed: an http(s) URL with a host.
pub fn check_my_home_url(url: &str) -> Result<(), String> {
    check_web_url(url).map_err(|problem| format!("My Home's address is not usable: {problem}."))
}

/// Where My Home sends the owner back to: Wattt's page with the request's
/// number in the query.
pub fn return_url(page: &str, request: u32) -> String {
    let base = page.split(['?', '#']).next().unwrap_or(page);
    format!("{base}?{REQUEST}={request}")
}

/// The answer the owner came back with, and the request it answers, from
/// the URL of the page as loaded; `None` when the URL carries no answer.
pub fn answer_in(url: &str) -> Option<(Option<u32>, ConsentAnswer)> {
    let answer = ConsentAnswer::from_url(url)?;
    let before_fragment = url.split('#').next().unwrap_or(url);
    let query = before_fragment.split_once('?').map_or("", |(_, q)| q);
    let request = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == REQUEST)
        .and_then(|(_, value)| value.parse().ok());
    Some((request, answer))
}

/// The page's URL without the answer: what the address bar is set to once
/// the answer is taken, so a reload does not show it again.
pub fn without_answer(url: &str) -> String {
    let base = url.split(['?', '#']).next().unwrap_or(url);
    format!("{base}#/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use consent_protocol::PolicyId;

    #[test]
    fn my_home_is_the_sibling_app_by_default() {
        assert_eq!(
            sibling_my_home("http://127.0.0.1:8080/wattt/#/ask"),
            "http://127.0.0.1:8080/my-home/"
        );
        assert_eq!(
            sibling_my_home("https://example.org/apps/wattt/index.html?x=1"),
            "https://example.org/apps/my-home/"
        );
        assert_eq!(sibling_my_home("http://h:1"), "http://h:1/my-home/");
    }

    #[test]
    fn the_answer_comes_back_with_the_request_number() {
        let page = "http://127.0.0.1:8080/wattt/#/ask";
        let back = return_url(page, 7);
        assert_eq!(back, "http://127.0.0.1:8080/wattt/?request=7");
        let granted = ConsentAnswer::Granted {
            policy_id: PolicyId::new("p-1").expect("id"),
        };
        let answered = granted.return_url(&back);
        assert_eq!(answer_in(&answered), Some((Some(7), granted)));
        let declined = ConsentAnswer::Declined.return_url(&back);
        assert_eq!(
            answer_in(&declined),
            Some((Some(7), ConsentAnswer::Declined))
        );
        assert_eq!(answer_in(page), None);
        assert_eq!(
            answer_in("http://h/wattt/?request=x&status=declined"),
            Some((None, ConsentAnswer::Declined))
        );
        assert_eq!(without_answer(&answered), "http://127.0.0.1:8080/wattt/#/");
    }
}
