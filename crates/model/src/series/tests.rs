//! The order of a series' editions: by date, by the declared chain, and what breaks a chain.

use super::*;

fn ed(iri: &str, issued: Option<&str>) -> Edition {
    Edition {
        iri: iri.into(),
        issued: issued.map(Into::into),
        ..Edition::default()
    }
}

fn iris(o: &Ordered) -> Vec<&str> {
    o.editions.iter().map(|e| e.iri.as_str()).collect()
}

#[test]
fn without_links_editions_go_by_date_then_period_then_version() {
    let o = order(vec![
        ed("e:2024", Some("2025-03-01")),
        ed("e:2022", Some("2023-03-01")),
        ed("e:2023", Some("2024-03-01")),
    ]);
    assert_eq!(iris(&o), ["e:2022", "e:2023", "e:2024"]);
    assert!(!o.declared);
    assert!(o.problems.is_empty());
    // No dates: the period's start, then the version ("2" before "10"), then the IRI.
    let v = |iri: &str, v: &str| Edition {
        version: Some(v.into()),
        ..ed(iri, None)
    };
    let o = order(vec![v("e:b", "10"), v("e:a", "2"), v("e:c", "2")]);
    assert_eq!(iris(&o), ["e:a", "e:c", "e:b"]);
    let s = |iri: &str, start: &str| Edition {
        start: Some(start.into()),
        ..ed(iri, None)
    };
    let o = order(vec![s("e:x", "2020-01-01"), s("e:y", "2019-01-01")]);
    assert_eq!(iris(&o), ["e:y", "e:x"]);
}

#[test]
fn a_declared_chain_wins_over_dates_and_next_counts_backwards() {
    // The source says b comes after c, whatever the dates say.
    let o = order(vec![
        Edition {
            prev: Some("e:c".into()),
            ..ed("e:b", Some("2020-01-01"))
        },
        Edition {
            next: Some("e:b".into()),
            prev: Some("e:a".into()),
            ..ed("e:c", Some("2021-01-01"))
        },
        ed("e:a", Some("2022-01-01")),
    ]);
    assert_eq!(iris(&o), ["e:a", "e:c", "e:b"]);
    assert!(o.declared);
    let n = o.neighbours("e:c").unwrap();
    assert_eq!(
        (
            n.position,
            n.first.map(|e| e.iri.as_str()),
            n.prev.map(|e| e.iri.as_str()),
            n.next.map(|e| e.iri.as_str()),
            n.last.map(|e| e.iri.as_str())
        ),
        (1, Some("e:a"), Some("e:a"), Some("e:b"), Some("e:b"))
    );
    let first = o.neighbours("e:a").unwrap();
    assert_eq!(
        (first.prev, first.next.map(|e| e.iri.as_str())),
        (None, Some("e:c"))
    );
    assert!(o.neighbours("e:zzz").is_none());
}

#[test]
fn a_loop_is_reported_and_dates_decide() {
    let o = order(vec![
        Edition {
            prev: Some("e:b".into()),
            ..ed("e:a", Some("2020"))
        },
        Edition {
            prev: Some("e:a".into()),
            ..ed("e:b", Some("2021"))
        },
    ]);
    assert_eq!(iris(&o), ["e:a", "e:b"]);
    assert!(!o.declared);
    assert!(
        matches!(o.problems[..], [Problem::Loop { .. }]),
        "{:?}",
        o.problems
    );
}

#[test]
fn links_outside_the_series_forks_and_gaps_are_reported() {
    let o = order(vec![
        Edition {
            prev: Some("e:elsewhere".into()),
            ..ed("e:a", Some("2020"))
        },
        ed("e:b", Some("2021")),
    ]);
    assert_eq!(
        o.problems,
        [Problem::Outside {
            edition: "e:a".into(),
            other: "e:elsewhere".into()
        }]
    );
    let o = order(vec![
        ed("e:a", Some("2020")),
        Edition {
            prev: Some("e:a".into()),
            ..ed("e:b", Some("2021"))
        },
        Edition {
            prev: Some("e:a".into()),
            ..ed("e:c", Some("2022"))
        },
    ]);
    assert!(
        o.problems.contains(&Problem::Fork {
            edition: "e:a".into()
        }),
        "{:?}",
        o.problems
    );
    assert_eq!(iris(&o), ["e:a", "e:b", "e:c"]);
    let o = order(vec![
        ed("e:a", Some("2020")),
        Edition {
            prev: Some("e:a".into()),
            ..ed("e:b", Some("2021"))
        },
        ed("e:c", Some("2019")),
    ]);
    assert_eq!(
        o.problems,
        [Problem::Incomplete {
            chained: 2,
            editions: 3
        }]
    );
    assert_eq!(iris(&o), ["e:c", "e:a", "e:b"]);
}
