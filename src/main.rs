use clap::Parser;

fn main() {
    let cli = xxgk::cli::Cli::parse();
    std::process::exit(xxgk::cli::run(cli));
}
