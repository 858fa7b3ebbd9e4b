#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    signpost::cli::main()
}
