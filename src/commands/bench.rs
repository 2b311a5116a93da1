pub fn execute(_a: crate::cli::BenchArgs, _r: &crate::cli::RuntimeArgs) -> anyhow::Result<super::Finished> { anyhow::bail!("bench: work in progress") }
