use clap::Parser;

fn main() {
    // `xxgk --worker KIND`: the isolated legacy-format reader (see xxgk::read::isolate).
    let mut args = std::env::args();
    if args.nth(1).as_deref() == Some("--worker") {
        std::process::exit(xxgk::read::isolate::worker_main(args.next().as_deref()));
    }
    let cli = xxgk::cli::Cli::parse();
    std::process::exit(xxgk::cli::run(cli));
}
