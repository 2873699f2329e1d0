use clap::Parser;

// Records are built from many short strings; glibc malloc/free took about a fifth of the run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // `xxgk --worker KIND`: the isolated legacy-format reader (see xxgk::read::isolate).
    let mut args = std::env::args();
    if args.nth(1).as_deref() == Some("--worker") {
        std::process::exit(xxgk::read::isolate::worker_main(args.next().as_deref()));
    }
    let cli = xxgk::cli::Cli::parse();
    std::process::exit(xxgk::cli::run(cli));
}
