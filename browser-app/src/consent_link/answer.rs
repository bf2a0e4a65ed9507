//! The answer back to the provider: My Home sends the owner to the
//! request's `url` with `status=granted&policyId=…` or `status=declined`
//! added to its query.

use consent_protocol::PolicyId;

/// The query parameter that says granted or declined.
pub const STATUS: &str = "status";
/// The query parameter that names the policy when consent was granted.
pub const POLICY_ID: &str = "policyId";

/// What the owner answered to a consent request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentAnswer {
    /// Consent given: the `AUTHORIZED` event with this policy is attached.
    Granted {
        /// The id of the policy published.
        policy_id: PolicyId,
    },
    /// Consent refused: nothing was published.
    Declined,
}

impl ConsentAnswer {
    /// `return_url` with the answer in its query: `status=granted&policyId=…`
    /// or `status=declined`, after the query the provider put there itself
    /// (kept as written, less any `status` or `policyId` of its own, which
    /// would make the answer ambiguous); the fragment stays last.
    pub fn return_url(&self, return_url: &str) -> String {
        let (before_fragment, fragment) = match return_url.split_once('#') {
            Some((before, fragment)) => (before, Some(fragment)),
            None => (return_url, None),
        };
        let (path, query) = before_fragment
            .split_once('?')
            .unwrap_or((before_fragment, ""));
        let mut pairs: Vec<String> = query
            .split('&')
            .filter(|pair| !pair.is_empty() && !is_answer_pair(pair))
            .map(str::to_owned)
            .collect();
        let mut answer = form_urlencoded::Serializer::new(String::new());
        match self {
            ConsentAnswer::Granted { policy_id } => answer
                .append_pair(STATUS, "granted")
                .append_pair(POLICY_ID, policy_id.as_str()),
            ConsentAnswer::Declined => answer.append_pair(STATUS, "declined"),
        };
        pairs.push(answer.finish());
        let mut url = format!("{path}?{}", pairs.join("&"));
        if let Some(fragment) = fragment {
            url.push('#');
            url.push_str(fragment);
        }
        url
    }

    /// The answer in the query of `url`, the page the owner came back to
    /// (what the provider reads); `None` unless `status` is there once and
    /// is `granted` with one valid `policyId`, or `declined` without one.
    /// The fragment is not read.
    pub fn from_url(url: &str) -> Option<ConsentAnswer> {
        let before_fragment = url.split_once('#').map_or(url, |(before, _)| before);
        let (_, query) = before_fragment.split_once('?')?;
        let mut status = None;
        let mut policy_id = None;
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let slot = match key.as_ref() {
                STATUS => &mut status,
                POLICY_ID => &mut policy_id,
                _ => continue,
            };
            if slot.replace(value).is_some() {
                return None;
            }
        }
        match (status?.as_ref(), policy_id) {
            ("granted", Some(id)) => PolicyId::new(id.into_owned())
                .ok()
                .map(|policy_id| ConsentAnswer::Granted { policy_id }),
            ("declined", None) => Some(ConsentAnswer::Declined),
            _ => None,
        }
    }
}

fn is_answer_pair(pair: &str) -> bool {
    form_urlencoded::parse(pair.as_bytes())
        .next()
        .is_some_and(|(key, _)| key == STATUS || key == POLICY_ID)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn granted(id: &str) -> ConsentAnswer {
        ConsentAnswer::Granted {
            policy_id: PolicyId::new(id).expect("policy id"),
        }
    }

    #[test]
    fn a_grant_adds_status_and_policy_id_to_the_query() {
        assert_eq!(
            granted("p-1").return_url("https://wattt.example/done"),
            "https://wattt.example/done?status=granted&policyId=p-1"
        );
        assert_eq!(
            ConsentAnswer::Declined.return_url("https://wattt.example/done"),
            "https://wattt.example/done?status=declined"
        );
    }

    #[test]
    fn the_providers_own_query_and_fragment_are_kept() {
        assert_eq!(
            granted("p 1&x").return_url("http://127.0.0.1:8080/wattt/?lang=nl&x=%20#/consent"),
            "http://127.0.0.1:8080/wattt/?lang=nl&x=%20&status=granted&policyId=p+1%26x#/consent"
        );
    }

    #[test]
    fn a_status_the_provider_put_in_its_url_is_replaced_not_repeated() {
        let url = ConsentAnswer::Declined
            .return_url("https://wattt.example/?status=granted&policyId=forged&a=b");
        assert_eq!(url, "https://wattt.example/?a=b&status=declined");
        assert_eq!(ConsentAnswer::from_url(&url), Some(ConsentAnswer::Declined));
    }

    #[test]
    fn the_provider_reads_the_answer_back() {
        for answer in [
            granted("2026-12-03T15:00:00Z#1 & more"),
            ConsentAnswer::Declined,
        ] {
            for base in [
                "https://wattt.example/done",
                "http://127.0.0.1:8080/wattt/?lang=nl#/consent?status=declined",
            ] {
                let url = answer.return_url(base);
                assert_eq!(ConsentAnswer::from_url(&url), Some(answer.clone()), "{url}");
            }
        }
    }

    #[test]
    fn an_unclear_answer_is_none() {
        for url in [
            "https://wattt.example/done",
            "https://wattt.example/done?status=maybe",
            "https://wattt.example/done?status=granted",
            "https://wattt.example/done?status=granted&policyId=",
            "https://wattt.example/done?status=granted&policyId=%00",
            "https://wattt.example/done?status=declined&policyId=p-1",
            "https://wattt.example/done?status=declined&status=declined",
            "https://wattt.example/done?status=granted&policyId=a&policyId=b",
            "https://wattt.example/done#?status=declined",
        ] {
            assert_eq!(ConsentAnswer::from_url(url), None, "{url}");
        }
    }
}
