//! Every fuzz target body, run on stable without libFuzzer: on every file
//! of its family's corpus (`corpus/valid`, `corpus/invalid` and
//! `corpus/regressions` for the client, `corpus/server/valid`,
//! `corpus/server/invalid` and `corpus/regressions` for the server, all for
//! a target of both), on a
//! few thousand fixed-seed pseudo-random inputs, and on chains of its JSON
//! mutator started from that corpus. Also keeps `fuzz/` consistent with
//! [`fuzzing::TARGETS`] and the dictionaries `fuzz/client_event.dict` and
//! `fuzz/server_event.dict` generated from the model.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use realtime_harness::events::Family;
use realtime_harness::fuzzing::{self, dictionary, json_mutator, Body, Mutator, Target};
use realtime_harness::rng::SplitMix64;
use realtime_harness::{ClientEvent, ServerEvent};

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

/// The fuzzer's default `-max_len` in the campaign.
const MAX_LEN: usize = 65536;

fn root() -> &'static Path {
    Path::new(MANIFEST)
}

/// Every file under `dir` (one level), sorted, README files excluded.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e != "md"))
        .collect();
    files.sort();
    files
}

/// The corpus folders of a family, as `scripts/fuzz-campaign` seeds its
/// targets.
fn seed_dirs(family: Family) -> &'static [&'static str] {
    match family {
        Family::Client => &["corpus/valid", "corpus/invalid", "corpus/regressions"],
        // Regressions are replayed on every target, whichever found them.
        Family::Server => &[
            "corpus/server/valid",
            "corpus/server/invalid",
            "corpus/regressions",
        ],
    }
}

/// The seeds a target starts from (its family's corpus, both for a target
/// of both), with where each came from.
fn seeds_of(target: &Target) -> Vec<(String, Vec<u8>)> {
    match target.family {
        Some(family) => seeds(&[family]),
        None => seeds(&Family::ALL),
    }
}

fn seeds(families: &[Family]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    // Each folder once, in the order the families list them.
    let mut dirs: Vec<&str> = Vec::new();
    for dir in families.iter().flat_map(|f| seed_dirs(*f)) {
        if !dirs.contains(dir) {
            dirs.push(dir);
        }
    }
    for dir in dirs {
        for path in files_in(&root().join(dir)) {
            let bytes = std::fs::read(&path).expect("readable corpus file");
            out.push((path.display().to_string(), bytes));
        }
    }
    out
}

/// Runs one target on one input; a panic is re-raised with the target, the
/// input's origin and its bytes, ready to paste into a regression file.
fn run(target: &Target, origin: &str, data: &[u8]) {
    if let Err(cause) = catch_unwind(AssertUnwindSafe(|| target.run(data))) {
        let message = cause
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| cause.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        panic!(
            "target {} failed on {origin}: {message}\ninput ({} bytes): {:?}",
            target.name,
            data.len(),
            String::from_utf8_lossy(data)
        );
    }
}

#[test]
fn every_target_has_a_shim_and_a_bin_and_nothing_else_does() {
    let manifest =
        std::fs::read_to_string(root().join("fuzz/Cargo.toml")).expect("fuzz/Cargo.toml");
    for target in fuzzing::TARGETS {
        let shim = root().join(format!("fuzz/fuzz_targets/{}.rs", target.name));
        let text =
            std::fs::read_to_string(&shim).unwrap_or_else(|e| panic!("{}: {e}", shim.display()));
        let lines = text.lines().count();
        assert!(
            (5..=15).contains(&lines),
            "{} has {lines} lines",
            shim.display()
        );
        assert!(
            manifest.contains(&format!(
                "name = \"{0}\"\npath = \"fuzz_targets/{0}.rs\"",
                target.name
            )),
            "fuzz/Cargo.toml has no [[bin]] {} at fuzz_targets/{}.rs",
            target.name,
            target.name
        );
        assert_eq!(
            target.mutator.is_some(),
            // `json_aware_fuzz_target!` declares the mutator with the target.
            text.contains("fuzz_mutator!") || text.contains("json_aware_fuzz_target!"),
            "{}: custom mutator registered in one place only",
            target.name
        );
    }
    for shim in files_in(&root().join("fuzz/fuzz_targets")) {
        let name = shim.file_stem().unwrap().to_string_lossy().into_owned();
        assert!(
            fuzzing::target(&name).is_some(),
            "{} is not in fuzzing::TARGETS",
            shim.display()
        );
    }
    let bins = manifest.matches("[[bin]]").count();
    assert_eq!(
        bins,
        fuzzing::TARGETS.len(),
        "fuzz/Cargo.toml [[bin]] count"
    );
}

/// The word list assigned in `NAME="..."` by `fuzz/targets.sh`.
fn script_list(script: &str, name: &str) -> Vec<String> {
    let prefix = format!("{name}=\"");
    let line = script
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("fuzz/targets.sh sets no {name}"));
    let mut words: Vec<String> = line[prefix.len()..]
        .trim_end_matches('"')
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    words.sort();
    words
}

#[test]
fn the_campaign_knows_which_targets_take_json_and_skips_none() {
    // What each target gets is in fuzz/targets.sh, which the campaign and the
    // ClusterFuzzLite build both source.
    let settings =
        std::fs::read_to_string(root().join("fuzz/targets.sh")).expect("fuzz/targets.sh");
    let script = std::fs::read_to_string(root().join("scripts/fuzz-campaign"))
        .expect("scripts/fuzz-campaign");
    assert!(
        script.contains(". fuzz/targets.sh"),
        "the campaign sources fuzz/targets.sh"
    );
    let names = |pred: fn(&Target) -> bool| {
        let mut v: Vec<String> = fuzzing::TARGETS
            .iter()
            .filter(|t| pred(t))
            .map(|t| t.name.to_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        script_list(&settings, "FUZZ_ARBITRARY_TARGETS"),
        names(|t| matches!(t.body, Body::ClientEvent(_) | Body::ServerEvent(_))),
        "targets that take arbitrary bytes get no large JSON seeds and a smaller max_len"
    );
    // Every target runs anywhere (the schema is embedded): the campaign has no list of
    // targets to leave out, and no way to report one as not run yet passed.
    for text in [&script, &settings] {
        assert!(!text.contains("SPEC_TARGETS"));
    }
    // Spelled in two parts so that a search for the banner finds none left in the tree.
    assert!(!script.contains(&["NOT", "RUN"].join(" ")));
}

#[test]
fn the_dictionaries_are_generated_from_the_model() {
    let bless = std::env::var_os("REALTIME_HARNESS_BLESS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for family in Family::ALL {
        let path = root().join(dictionary::path(family));
        let expected = dictionary::family_dict(family);
        if bless {
            std::fs::write(&path, &expected).expect("write the dictionary");
            eprintln!("wrote {}", path.display());
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != expected {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} stale: regenerate with REALTIME_HARNESS_BLESS=1 cargo test --test fuzz_smoke"
    );
}

#[test]
fn targets_are_named_after_their_family_and_the_campaign_uses_its_dictionary() {
    let script = std::fs::read_to_string(root().join("scripts/fuzz-campaign"))
        .expect("scripts/fuzz-campaign");
    for target in fuzzing::TARGETS {
        // The campaign (and ClusterFuzzLite) pick seeds and dictionary by
        // the name's prefix; the registry must say the same.
        let by_name = Family::ALL
            .into_iter()
            .find(|f| target.name.starts_with(&format!("{}_event_", f.as_str())));
        assert_eq!(by_name, target.family, "{}: family and name", target.name);
    }
    for family in Family::ALL {
        let dict = dictionary::path(family).trim_start_matches("fuzz/");
        assert!(script.contains(dict), "the campaign never uses {dict}");
        for dir in seed_dirs(family) {
            assert!(script.contains(dir), "the campaign never seeds from {dir}");
        }
    }
}

#[test]
fn every_regression_has_its_root_cause_written_down() {
    let dir = root().join("corpus/regressions");
    let readme =
        std::fs::read_to_string(dir.join("README.md")).expect("corpus/regressions/README.md");
    for path in files_in(&dir) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let line = readme
            .lines()
            .find(|l| l.contains(&format!("`{name}`")))
            .unwrap_or_else(|| panic!("{name} has no line in corpus/regressions/README.md"));
        assert!(
            line.len() > name.len() + 20,
            "{name}: the root cause line is too short"
        );
    }
}

#[test]
fn every_target_runs_on_every_seed() {
    for dir in Family::ALL.iter().flat_map(|f| seed_dirs(*f)) {
        if !dir.ends_with("regressions") {
            assert!(
                !files_in(&root().join(dir)).is_empty(),
                "{dir} must seed the fuzzers"
            );
        }
    }
    for target in fuzzing::TARGETS {
        for (origin, bytes) in &seeds_of(target) {
            run(target, origin, bytes);
        }
    }
    // The valid seeds are accepted: otherwise the JSON targets start blind.
    for path in files_in(&root().join("corpus/valid")) {
        let bytes = std::fs::read(&path).unwrap();
        if let Err(e) = ClientEvent::from_slice(&bytes) {
            panic!("{}: {e}", path.display());
        }
    }
    for path in files_in(&root().join("corpus/server/valid")) {
        let bytes = std::fs::read(&path).unwrap();
        match ServerEvent::from_slice(&bytes) {
            Ok(event) if event.to_event_type().is_some() => {}
            other => panic!("{}: {other:?}", path.display()),
        }
    }
}

/// A fixed-seed input for a byte target: random bytes, a seed with a few
/// byte edits, or a seed through a chain of the JSON mutator.
fn byte_input(rng: &mut SplitMix64, seeds: &[(String, Vec<u8>)], mutator: Mutator) -> Vec<u8> {
    match rng.below(3) {
        0 => {
            let mut data = vec![0u8; rng.below(256)];
            rng.fill(&mut data);
            data
        }
        1 if !seeds.is_empty() => {
            let mut data = rng.pick(seeds).1.clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(data.len() + 1);
                match rng.below(3) {
                    0 => data.truncate(at),
                    1 => data.insert(at, *rng.pick(b"{}[]\":,0-.e\\ntu")),
                    _ if at < data.len() => data[at] ^= 1 << rng.below(8),
                    _ => data.push(b'}'),
                }
            }
            data
        }
        _ if !seeds.is_empty() => {
            let mut data = rng.pick(seeds).1.clone();
            for _ in 0..1 + rng.below(8) {
                data = mutate_once(mutator, &data, rng.next_u64() as u32);
            }
            data
        }
        _ => Vec::new(),
    }
}

/// One call of a JSON mutator, with the shim's fallback replaced by a
/// trivial byte flip (libFuzzer's mutator is not linked here).
fn mutate_once(mutator: Mutator, data: &[u8], seed: u32) -> Vec<u8> {
    let mut buf = data.to_vec();
    let size = buf.len();
    buf.resize(MAX_LEN.max(size), 0);
    match mutator(&mut buf, size, MAX_LEN.max(size), seed) {
        Some(n) => {
            assert!(n <= MAX_LEN.max(size), "mutator overran max_size");
            buf.truncate(n);
        }
        None => {
            buf.truncate(size);
            if let Some(b) = buf.get_mut(seed as usize % size.max(1)) {
                *b = b.wrapping_add(1);
            }
        }
    }
    buf
}

/// The mutator that makes a target's fixed-seed inputs: its own, else the
/// one of its family (a target without one still gets frames past the
/// syntax checks).
fn mutator_of(target: &Target) -> Mutator {
    target.mutator.unwrap_or(match target.family {
        Some(Family::Server) => json_mutator::mutate_server,
        _ => json_mutator::mutate,
    })
}

#[test]
fn every_target_runs_on_fixed_seed_inputs() {
    const INPUTS_PER_TARGET: usize = 3000;
    for target in fuzzing::TARGETS {
        let seeds = seeds_of(target);
        let mut rng = SplitMix64::new(0x5eed_0000 + target.name.len() as u64);
        for i in 0..INPUTS_PER_TARGET {
            let data = match target.body {
                Body::Bytes(_) => byte_input(&mut rng, &seeds, mutator_of(target)),
                Body::ClientEvent(_) | Body::ServerEvent(_) => {
                    let mut data = vec![0u8; rng.below(4096)];
                    rng.fill(&mut data);
                    data
                }
            };
            run(target, &format!("fixed-seed input {i}"), &data);
        }
    }
}

/// Each structured target's mutator, chained from its corpus: every step is
/// run, and one mutation of a valid frame is mostly still a frame the model
/// accepts.
fn structured_walk(name: &str, valid_dir: &str, accepts: fn(&[u8]) -> bool) {
    let target = fuzzing::target(name).expect("registered");
    let mutator = target.mutator.expect("a structured target has a mutator");
    let seeds = seeds_of(target);
    let mut rng = SplitMix64::new(0x6d75_7461);
    for (origin, bytes) in &seeds {
        let mut data = bytes.clone();
        for step in 0..30 {
            data = mutate_once(mutator, &data, rng.next_u64() as u32);
            run(target, &format!("{origin} after {step} mutations"), &data);
        }
        let mut out = vec![0u8; MAX_LEN];
        let (_, other) = rng.pick(&seeds);
        if let Some(n) = json_mutator::crossover(bytes, other, &mut out, rng.next_u64() as u32) {
            run(target, &format!("{origin} crossed over"), &out[..n]);
        }
    }
    // The point of the mutator: one mutation of a valid frame is mostly
    // still a frame the model accepts, so the fuzzer spends its time past
    // the syntax checks (one byte flip of a frame mostly is not).
    let (mut produced, mut accepted) = (0usize, 0usize);
    for path in files_in(&root().join(valid_dir)) {
        let bytes = std::fs::read(&path).unwrap();
        for _ in 0..50 {
            let mut buf = bytes.clone();
            let max = MAX_LEN.max(bytes.len());
            buf.resize(max, 0);
            let seed = rng.next_u64() as u32;
            if let Some(n) = mutator(&mut buf, bytes.len(), max, seed) {
                produced += 1;
                accepted += usize::from(accepts(&buf[..n]));
            }
        }
    }
    eprintln!("{name}: {accepted} of {produced} single mutations of valid frames parse");
    assert!(
        accepted * 2 >= produced,
        "{name}: only {accepted} of {produced} single mutations of valid frames parse"
    );
}

#[test]
fn the_structured_mutator_walks_from_the_corpus_to_accepted_frames() {
    structured_walk("client_event_json_structured", "corpus/valid", |b| {
        ClientEvent::from_slice(b).is_ok()
    });
}

#[test]
fn the_server_structured_mutator_walks_from_the_corpus_to_accepted_frames() {
    // Accepted as one of the 46, not merely by the catch-all.
    structured_walk("server_event_json_structured", "corpus/server/valid", |b| {
        ServerEvent::from_slice(b).is_ok_and(|e| e.to_event_type().is_some())
    });
}
