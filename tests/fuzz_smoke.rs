//! Every fuzz target body, run on stable without libFuzzer: on every file
//! of `corpus/valid`, `corpus/invalid` and `corpus/regressions`, on a few thousand
//! fixed-seed pseudo-random inputs, and on chains of the JSON mutator
//! started from the corpus. Also keeps `fuzz/` consistent with
//! [`fuzzing::TARGETS`] and `fuzz/client_event.dict` generated from the model.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use realtime_harness::fuzzing::{self, dictionary, json_mutator, Body, Target};
use realtime_harness::rng::SplitMix64;
use realtime_harness::ClientEvent;

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

/// The seeds every JSON target starts from, with where each came from.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in ["corpus/valid", "corpus/invalid", "corpus/regressions"] {
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
            text.contains("fuzz_mutator!"),
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

/// The campaign script's word list assigned in `NAME="..."`.
fn script_list(script: &str, name: &str) -> Vec<String> {
    let prefix = format!("{name}=\"");
    let line = script
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("scripts/fuzz-campaign sets no {name}"));
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
    let script = std::fs::read_to_string(root().join("scripts/fuzz-campaign"))
        .expect("scripts/fuzz-campaign");
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
        script_list(&script, "ARBITRARY_TARGETS"),
        names(|t| matches!(t.body, Body::Event(_))),
        "targets that take arbitrary bytes get no JSON seeds"
    );
    // Every target runs anywhere (the schema is embedded): the campaign has no list of
    // targets to leave out, and no way to report one as not run yet passed.
    assert!(!script.contains("SPEC_TARGETS"));
    // Spelled in two parts so that a search for the banner finds none left in the tree.
    assert!(!script.contains(&["NOT", "RUN"].join(" ")));
}

#[test]
fn the_dictionary_is_generated_from_the_model() {
    let path = root().join("fuzz/client_event.dict");
    let expected = dictionary::client_event_dict();
    if std::env::var_os("REALTIME_HARNESS_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &expected).expect("write the dictionary");
        eprintln!("wrote {}", path.display());
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "{} is stale: regenerate it with REALTIME_HARNESS_BLESS=1 cargo test --test fuzz_smoke",
        path.display()
    );
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
    let seeds = seeds();
    let valid = files_in(&root().join("corpus/valid")).len();
    let invalid = files_in(&root().join("corpus/invalid")).len();
    assert!(
        valid > 0 && invalid > 0,
        "corpus/valid ({valid}) and corpus/invalid ({invalid}) must seed the fuzzers"
    );
    for target in fuzzing::TARGETS {
        for (origin, bytes) in &seeds {
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
}

/// A fixed-seed input for a byte target: random bytes, a seed with a few
/// byte edits, or a seed through a chain of the JSON mutator.
fn byte_input(rng: &mut SplitMix64, seeds: &[(String, Vec<u8>)]) -> Vec<u8> {
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
                data = mutate_once(&data, rng.next_u64() as u32);
            }
            data
        }
        _ => Vec::new(),
    }
}

/// One call of the structured target's mutator, with the shim's fallback
/// replaced by a trivial byte flip (libFuzzer's mutator is not linked here).
fn mutate_once(data: &[u8], seed: u32) -> Vec<u8> {
    let mut buf = data.to_vec();
    let size = buf.len();
    buf.resize(MAX_LEN.max(size), 0);
    match json_mutator::mutate(&mut buf, size, MAX_LEN.max(size), seed) {
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

#[test]
fn every_target_runs_on_fixed_seed_inputs() {
    const INPUTS_PER_TARGET: usize = 3000;
    let seeds = seeds();
    for target in fuzzing::TARGETS {
        let mut rng = SplitMix64::new(0x5eed_0000 + target.name.len() as u64);
        for i in 0..INPUTS_PER_TARGET {
            let data = match target.body {
                Body::Bytes(_) => byte_input(&mut rng, &seeds),
                Body::Event(_) => {
                    let mut data = vec![0u8; rng.below(4096)];
                    rng.fill(&mut data);
                    data
                }
            };
            run(target, &format!("fixed-seed input {i}"), &data);
        }
    }
}

#[test]
fn the_structured_mutator_walks_from_the_corpus_to_accepted_frames() {
    let target = fuzzing::target("client_event_json_structured").expect("registered");
    let seeds = seeds();
    let mut rng = SplitMix64::new(0x6d75_7461);
    for (origin, bytes) in &seeds {
        let mut data = bytes.clone();
        for step in 0..30 {
            data = mutate_once(&data, rng.next_u64() as u32);
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
    for path in files_in(&root().join("corpus/valid")) {
        let bytes = std::fs::read(&path).unwrap();
        for _ in 0..50 {
            let mut buf = bytes.clone();
            let max = MAX_LEN.max(bytes.len());
            buf.resize(max, 0);
            let seed = rng.next_u64() as u32;
            if let Some(n) = json_mutator::mutate(&mut buf, bytes.len(), max, seed) {
                produced += 1;
                accepted += usize::from(ClientEvent::from_slice(&buf[..n]).is_ok());
            }
        }
    }
    eprintln!("{accepted} of {produced} single mutations of valid frames parse");
    assert!(
        accepted * 2 >= produced,
        "only {accepted} of {produced} single mutations of valid frames parse"
    );
}
