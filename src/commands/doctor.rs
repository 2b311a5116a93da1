pub fn execute(_a: crate::cli::DoctorArgs, _r: &crate::cli::RuntimeArgs) -> anyhow::Result<super::Finished> { anyhow::bail!("doctor: work in progress") }
