//! The `realtime-harness` command; see `realtime_harness::cli`.

fn main() -> std::process::ExitCode {
    realtime_harness::cli::main()
}
