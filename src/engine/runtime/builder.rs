//! The settings every session is opened with, in one place.

use std::sync::atomic::Ordering;

use ort::ep;
use ort::logging::LogLevel;
use ort::session::builder::{GraphOptimizationLevel, SessionBuilder};
use ort::session::Session;

use super::{OrtOptions, Runtime, NEXT_SESSION_ID, PLACEMENTS};

impl Runtime {
    /// A session builder with every setting a session of `options` runs with, but not
    /// its shared weights: the optimizer probe (`weights::rewritten`) must see the graph
    /// exactly as the real sessions' optimizer does.
    pub(crate) fn builder(
        &self,
        options: &OrtOptions,
        cuda: Option<u32>,
        log_id: &str,
    ) -> Result<SessionBuilder, ort::Error> {
        let mut builder = Session::builder(&self.env)?
            .with_log_id(log_id)?
            .with_log_level(LogLevel::Verbose)?
            .with_optimization_level(GraphOptimizationLevel::All)?
            .with_intra_threads(options.intra_threads)?
            .with_inter_threads(1)?
            // Spinning threads would make idle waiting look like work in CPU figures.
            .with_intra_op_spinning(false)?;
        if cuda.is_none() {
            // No CPU session prepacks: packed copies are made per session, so with shared
            // weights they were most of what an extra worker cost (measured, Kokoro int8:
            // 45 MiB per extra worker even with ORT's shared prepacked-weights container,
            // 22 without prepacking), skipping them cost no speed here (pool x2, demo job),
            // and every session computes with the same kernels: pool, shared-lock and the
            // result cache give the same samples whatever the worker count.
            builder = builder.with_prepacking(false)?;
        }
        if !options.arena {
            // Measured on the demo job (2 cores): Whisper and the speaker encoder without
            // them, 1,088 -> 879 MB peak headless; the synthesis sessions without them grew
            // it instead (1,308 MB), so those keep theirs.
            builder = builder.with_memory_pattern(false)?;
            if cuda.is_none() {
                let cpu = ep::CPU::default().with_arena_allocator(false).build();
                builder = builder.with_execution_providers([cpu])?;
            }
        }
        if let Some(index) = cuda {
            let cuda = ep::CUDA::default()
                .with_device_id(index as i32)
                .with_conv_algorithm_search(ep::cuda::ConvAlgorithmSearch::Default)
                .build()
                .error_on_failure();
            builder = builder.with_execution_providers([cuda])?;
        }
        Ok(builder)
    }

    /// Forgets the node placement ORT logged for a session voxdeck does not keep.
    pub(crate) fn forget_placement(&self, log_id: &str) {
        PLACEMENTS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(log_id);
    }

    pub(crate) fn next_log_id(&self, what: &str) -> String {
        format!(
            "voxdeck-{what}-{}",
            NEXT_SESSION_ID.fetch_add(1, Ordering::Relaxed)
        )
    }
}
