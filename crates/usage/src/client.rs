//! Who counts: the documented rule (also in `docs/usage.md`). The user agent is read to classify
//! the request and dropped with it; nothing about the client is kept.

/// Where a request was made, for the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// A page people read: the dataset page, the site's search, an access route followed.
    Page,
    /// An address programs read: the record in an RDF syntax, the JSON API, `/api/search`.
    Machine,
}

/// What sent a request, as far as counting goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Client {
    /// A browser: counts everywhere.
    Person,
    /// A script or HTTP library (`curl/…`, `python-requests/…`): counts on machine endpoints
    /// only — a script fetching a page is not a reader.
    Program,
    /// A declared robot, a monitor, a link previewer, a prefetch, a request without a user
    /// agent, or any method but `GET`: never counts.
    Robot,
}

/// Substrings (lower case) of robots' user agents: crawlers, monitors, previewers, scanners —
/// the families of the COUNTER Code of Practice's robot list, in short.
const ROBOTS: &[&str] = &[
    "bot",
    "crawl",
    "spider",
    "slurp",
    "archiver",
    "facebookexternalhit",
    "embedly",
    "preview",
    "monitor",
    "uptime",
    "pingdom",
    "headless",
    "lighthouse",
    "validator",
    "scanner",
    "nagios",
    "check_http",
    "zgrab",
    "masscan",
    "nmap",
    "nutch",
    "heritrix",
    "scrapy",
    "wrk",
    "ab/",
    "loadtest",
    "k6/",
    "jmeter",
    "gatling",
];

/// Prefixes (lower case) of scripts' and HTTP libraries' user agents.
const PROGRAMS: &[&str] = &[
    "curl/",
    "wget/",
    "python-requests",
    "python-httpx",
    "python-urllib",
    "aiohttp",
    "go-http-client",
    "java/",
    "okhttp",
    "apache-httpclient",
    "libwww-perl",
    "node-fetch",
    "axios",
    "undici",
    "reqwest",
    "rdflib",
    "httr",
    "r/",
    "powershell",
    "insomnia",
    "postmanruntime",
    "ruby",
    "guzzlehttp",
];

impl Client {
    /// Classifies a request from its method, its `User-Agent` and whether it announces itself as
    /// a prefetch or prerender (`Sec-Purpose`, `Purpose`, `X-Moz`, `X-Purpose`).
    pub fn of(is_get: bool, user_agent: Option<&str>, prefetch: bool) -> Self {
        let Some(ua) = user_agent.map(str::trim).filter(|ua| !ua.is_empty()) else {
            return Self::Robot;
        };
        if !is_get || prefetch {
            return Self::Robot;
        }
        let ua = ua.to_ascii_lowercase();
        if ROBOTS.iter().any(|r| ua.contains(r)) {
            Self::Robot
        } else if PROGRAMS.iter().any(|p| ua.starts_with(p)) {
            Self::Program
        } else {
            Self::Person
        }
    }

    /// Whether a request of this client to `endpoint` counts.
    pub fn counts(self, endpoint: Endpoint) -> bool {
        match self {
            Self::Person => true,
            Self::Program => endpoint == Endpoint::Machine,
            Self::Robot => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    #[test]
    fn browsers_count_everywhere_scripts_on_machine_endpoints_robots_nowhere() {
        let person = Client::of(true, Some(FIREFOX), false);
        assert_eq!(person, Client::Person);
        assert!(person.counts(Endpoint::Page) && person.counts(Endpoint::Machine));
        let script = Client::of(true, Some("curl/8.5.0"), false);
        assert_eq!(script, Client::Program);
        assert!(!script.counts(Endpoint::Page) && script.counts(Endpoint::Machine));
        for robot in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0)",
            "facebookexternalhit/1.1",
            "Mozilla/5.0 HeadlessChrome/120.0",
            "UptimeRobot/2.0",
            "wrk",
            "  ",
        ] {
            let c = Client::of(true, Some(robot), false);
            assert_eq!(c, Client::Robot, "{robot}");
            assert!(!c.counts(Endpoint::Machine));
        }
        assert_eq!(
            Client::of(true, None, false),
            Client::Robot,
            "no user agent"
        );
        assert_eq!(
            Client::of(true, Some(FIREFOX), true),
            Client::Robot,
            "a prefetch"
        );
        assert_eq!(
            Client::of(false, Some(FIREFOX), false),
            Client::Robot,
            "a HEAD"
        );
    }
}
