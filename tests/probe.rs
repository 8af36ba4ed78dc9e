//! `probe` against the embedded server and against its mutants: `serve`
//! with one spec violation each (a [`Flaw`], or the `legacy-event-names`
//! fault). Against the real thing every case is OK or INFORMATIONAL;
//! against a mutant exactly the cases about its violation FAIL. Each test
//! prints its grade table, or its line of the mutant matrix.
//!
//!     cargo test --test probe -- --nocapture

mod serve_support;

use std::collections::BTreeSet;
use std::time::Duration;

use realtime_harness::cli::gen::Generator;
use realtime_harness::cli::probe::render_text;
use realtime_harness::probe::{
    self, Embedded, Grade, Options, ProbeReport, Target, CASES, SECTIONS,
};
use realtime_harness::serve::{Fault, Faults, Flaw, Flaws};

/// Each wait of a case: short, since the server is on loopback.
const WAIT: Duration = Duration::from_secs(2);

/// Generated and mutated frames per robustness case.
const FUZZ: usize = 20;

async fn probe_serve(faults: Faults, flaws: Flaws) -> ProbeReport {
    let server = Embedded::start(faults, flaws, WAIT)
        .await
        .expect("bind 127.0.0.1:0");
    let mut generator = Generator::new(7, Vec::new(), None).plain();
    let options = Options {
        cases: Vec::new(),
        fuzz: FUZZ,
        frames: Some(Box::new(move || generator.next_frame().ok())),
    };
    let report = probe::run(&server.target, options, |_, _, _| {}).await;
    server.stop().await;
    report
}

fn table(report: &ProbeReport) -> String {
    let mut out = Vec::new();
    render_text(report, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn failing(report: &ProbeReport) -> BTreeSet<&'static str> {
    report
        .cases
        .iter()
        .filter(|c| c.grade == Grade::Failed)
        .map(|c| c.id)
        .collect()
}

/// Case ids in the table's order (`5.9` before `5.10`).
fn in_order(ids: &BTreeSet<&str>) -> String {
    let mut ids: Vec<_> = ids.iter().copied().collect();
    ids.sort_by_key(|id| CASES.iter().position(|c| c.id == *id));
    ids.join(" ")
}

#[test]
fn the_table_has_sixty_cases_with_stable_unique_ids() {
    assert!(CASES.len() >= 60, "{} cases", CASES.len());
    let ids: BTreeSet<_> = CASES.iter().map(|c| c.id).collect();
    assert_eq!(ids.len(), CASES.len(), "ids repeat");
    for case in CASES {
        let (section, number) = case.id.split_once('.').expect("section.number");
        assert!(SECTIONS.iter().any(|(s, _)| *s == section), "{}", case.id);
        assert!(number.parse::<u32>().is_ok(), "{}", case.id);
        for text in [
            case.title,
            case.requirement,
            case.spec,
            case.sends,
            case.expectation,
        ] {
            assert!(!text.is_empty(), "{} lacks a description", case.id);
        }
    }
    for (section, _) in SECTIONS {
        assert!(
            CASES
                .iter()
                .any(|c| c.id.split('.').next() == Some(section)),
            "section {section} is empty"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clean_serve_passes_every_case() {
    let report = probe_serve(Faults::NONE, Flaws::NONE).await;
    println!("{}", table(&report));
    let bad: Vec<_> = report
        .cases
        .iter()
        .filter(|c| !matches!(c.grade, Grade::Ok | Grade::Informational))
        .map(|c| format!("{} {}: {}", c.id, c.grade, c.happened))
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
    assert_eq!(report.cases.len(), CASES.len());
    assert!(report.passed());

    // The reports: JSON a machine reads, HTML without network resources,
    // JUnit with a testcase per case; no key anywhere.
    let dir = std::env::temp_dir().join(format!("probe-report-{}", std::process::id()));
    report.write_dir(&dir).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    assert_eq!(json["cases"].as_array().unwrap().len(), CASES.len());
    let first = &json["cases"][0];
    for member in [
        "id",
        "grade",
        "duration_ms",
        "expectation",
        "happened",
        "transcript",
    ] {
        assert!(!first[member].is_null(), "index.json cases lack {member}");
    }
    let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(html.contains("<table id=\"summary\">"));
    assert_eq!(html.matches("<details class=\"case\"").count(), CASES.len());
    for remote in ["http://", "https://", "<script", "<link"] {
        assert!(!html.contains(remote), "index.html has {remote}");
    }
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert_eq!(junit.matches("<testcase ").count(), CASES.len());
    assert!(!junit.contains("<failure"));
    let all = format!("{json}{html}{junit}");
    assert!(!all.contains("sk-probe-"), "the key leaked into a report");
    // Audio is elided: no transcript line carries a long base64 run.
    assert!(!all.contains(&"A".repeat(4096)));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs the probe against a mutant and checks exactly `expected` FAILED.
async fn mutant(name: &str, faults: Faults, flaws: Flaws, expected: &[&str]) {
    let report = probe_serve(faults, flaws).await;
    let failed = failing(&report);
    println!("mutant matrix: {name} -> {}", in_order(&failed));
    let expected: BTreeSet<&str> = expected.iter().copied().collect();
    assert!(
        failed == expected,
        "{name}: FAILED {failed:?}, expected {expected:?}\n{}",
        table(&report)
    );
}

fn flaw(flaw: Flaw) -> Flaws {
    [flaw].into_iter().collect()
}

/// One test per mutant: name, faults, flaws, the cases that must FAIL.
macro_rules! mutants {
    ( $( $test:ident: $name:literal, $faults:expr, $flaws:expr => [ $( $id:literal ),* ]; )* ) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $test() {
                mutant($name, $faults, $flaws, &[ $( $id ),* ]).await;
            }
        )*
    };
}

mutants! {
    mutant_no_error_event_id: "no-error-event-id", Faults::NONE, flaw(Flaw::NoErrorEventId) => [
        "2.12", "2.13", "2.14", "2.15", "2.16", "2.17", "3.2", "3.3", "3.4", "3.7", "4.5", "4.6",
        "4.8", "4.9", "4.10", "4.13", "4.15", "5.8", "5.10", "5.16", "6.3", "6.4", "6.6", "6.7",
        "6.9", "6.10", "6.12", "8.2"
    ];
    // A GA client waiting for `response.output_audio.delta` (or text) sees
    // none; the server-event cases see the beta names.
    mutant_legacy_event_names: "legacy-event-names (fault)",
        [Fault::LegacyEventNames].into_iter().collect(), Flaws::NONE => [
        "2.17", "4.11", "4.12", "5.1", "5.2", "5.9", "5.14", "5.15", "7.2", "7.3", "7.4"
    ];
    mutant_no_done_after_error: "no-done-after-error", Faults::NONE,
        flaw(Flaw::NoDoneAfterError) => ["5.8", "5.12"];
    mutant_truncate_confirms_anything: "truncate-confirms-anything", Faults::NONE,
        flaw(Flaw::TruncateConfirmsAnything) => ["4.12", "4.13", "4.14"];
    mutant_done_before_item_done: "done-before-item-done", Faults::NONE,
        flaw(Flaw::DoneBeforeItemDone) => ["5.1", "5.2", "5.3", "5.9", "5.11"];
    mutant_audio_not_base64: "audio-not-base64", Faults::NONE,
        flaw(Flaw::AudioNotBase64) => ["4.11", "5.2", "7.2"];
    mutant_stale_session_updated: "stale-session-updated", Faults::NONE,
        flaw(Flaw::StaleSessionUpdated) => [
        "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9", "2.10", "2.11"
    ];
    mutant_unannounced_items: "unannounced-items", Faults::NONE,
        flaw(Flaw::UnannouncedItems) => ["5.4", "5.5"];
}

#[test]
fn every_flaw_has_a_mutant_test() {
    let source = include_str!("probe.rs");
    for flaw in Flaw::ALL {
        let variant = format!("Flaw::{flaw:?}");
        assert!(
            source.matches(&variant).count() >= 1,
            "{variant} has no mutant test"
        );
    }
}

/// The command line: `--list`, a selection, the JUnit output, and the exit
/// status (0 without a FAILED case, 1 with one: here the hidden `--flaw`).
#[test]
fn the_command_lists_selects_and_exits_by_grade() {
    let bin = env!("CARGO_BIN_EXE_realtime-harness");
    let run = |args: &[&str]| {
        let output = std::process::Command::new(bin)
            .arg("probe")
            .args(args)
            .output()
            .expect("run realtime-harness");
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
        )
    };
    let (code, listed) = run(&["--list"]);
    assert_eq!(code, Some(0));
    assert!(listed.contains("6. Errors") && listed.contains("  5.9   Cancel ends"));
    assert_eq!(
        listed.lines().filter(|l| l.starts_with("  ")).count(),
        CASES.len()
    );

    let (code, junit) = run(&["--cases", "1.3,6", "--format", "junit"]);
    assert_eq!(code, Some(0), "{junit}");
    assert_eq!(junit.matches("<testcase ").count(), 13, "{junit}");

    let (code, text) = run(&["--cases", "6.3", "--flaw", "no-error-event-id"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.starts_with("6.3   FAILED"), "{text}");

    let (code, _) = run(&["--cases", "no-such-case"]);
    assert_eq!(code, Some(2));
    let (code, _) = run(&["http://example.com/v1/realtime"]);
    assert_eq!(code, Some(2));
}

/// `wss://`: the connection section over TLS, trusting the test authority
/// with `--ca`; without it every connection is refused, so no case passes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wss_server_is_probed_when_its_authority_is_trusted() {
    let server = Embedded::start(Faults::NONE, Flaws::NONE, WAIT)
        .await
        .expect("bind 127.0.0.1:0");
    let front = serve_support::TlsFront::start(&server.target.url).await;
    let key = server.target.api_key.clone();
    let section = || Options {
        cases: vec!["1.".to_owned()],
        fuzz: 0,
        frames: None,
    };
    let target = Target::new(&front.url, key.clone(), None, WAIT);
    let trusted = target
        .clone()
        .with_ca(std::path::Path::new(serve_support::TEST_CA))
        .unwrap();
    let report = probe::run(&trusted, section(), |_, _, _| {}).await;
    println!("{}", table(&report));
    assert_eq!(report.cases.len(), 8);
    assert_eq!(failing(&report), BTreeSet::new(), "{}", table(&report));
    let created = report.cases.iter().find(|c| c.id == "1.3").unwrap();
    assert_eq!(created.grade, Grade::Ok);

    let report = probe::run(&target, section(), |_, _, _| {}).await;
    let created = report.cases.iter().find(|c| c.id == "1.3").unwrap();
    assert_eq!(created.grade, Grade::Failed, "{}", table(&report));
    assert!(
        created.happened.contains("UnknownIssuer"),
        "{}",
        created.happened
    );
    server.stop().await;
}
