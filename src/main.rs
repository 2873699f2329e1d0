use clap::Parser;

// Records are built from many short strings; glibc malloc/free took about a fifth of the run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // No transparent huge pages for this process: the allocator's fresh pages were then zeroed
    // 2 MiB at a time by the kernel (~10 % of an HTML run) and the peak memory doubled.
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process; no pointers are passed.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // `xxgk __worker KIND`: a child process of a run (see xxgk::worker).
    let mut args = std::env::args();
    if args.nth(1).as_deref() == Some(xxgk::worker::WORKER_ARG) {
        let kind = args.next().unwrap_or_default();
        std::process::exit(if kind == xxgk::isolate::RECORDS {
            xxgk::isolate::worker_main()
        } else {
            xxgk::read::isolate::worker_main(&kind)
        });
    }
    let cli = xxgk::cli::Cli::parse();
    std::process::exit(xxgk::cli::run(cli));
}
