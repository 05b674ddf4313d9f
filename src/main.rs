//! The `livedoc` binary: parses arguments, runs one command, maps the
//! outcome to an exit code. Everything else lives in the library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
