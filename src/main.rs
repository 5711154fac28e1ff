use std::process::ExitCode;

fn main() -> ExitCode {
    perfcard::cli::main()
}
