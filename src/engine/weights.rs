//! Shared weights: the sessions of one pool use one copy of each model's weights.
//!
//! ONNX Runtime lets sessions share initializers that the caller owns (`AddInitializer`).
//! Without that, every worker holds its own copy of the weights and of the packed forms
//! its CPU kernels make of them: about 108 MiB per extra Kokoro worker. So a pool reads
//! each model's initializers once, out of the ONNX file, into ORT tensors that every
//! session of the pool is given, and its sessions skip prepacking (packed copies are made
//! per session; see `Runtime::open_with`): about 22 MiB per extra worker.
//!
//! ORT's optimizer may rewrite an initializer in place, under the same name: Piper's
//! transpose optimizer reshapes its LayerNorm gammas and betas from [192] to [1,192,1].
//! A caller's initializer replaces the graph's by name *after* optimization, so sharing
//! such a one puts the unrewritten tensor back (Piper failed with "Attempting to broadcast
//! an axis by a dimension other than 1", and a shape that happened to broadcast would have
//! been a silently wrong result). So a pool shares only the initializers its optimizer
//! leaves untouched: `rewritten` finds the others once per model and ORT version.
//!
//! Only CPU sessions share: on CUDA, ORT copies each session's initializers into video
//! memory, so sharing the host copy would save host memory that nobody keeps (and is
//! unverified; this box has no GPU).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use ort::value::{DynValue, Tensor};
use prost::Message;

mod onnx_proto;
mod rewritten;
pub use rewritten::ProbeError;

use onnx_proto::{data_type, ModelProto, TensorProto};

#[derive(Debug, Clone, thiserror::Error)]
pub enum WeightsError {
    #[error("cannot read {path}: {detail}")]
    Read { path: PathBuf, detail: String },
    #[error("{path} is not an ONNX model ({detail})")]
    NotOnnx { path: PathBuf, detail: String },
    /// The model keeps an initializer in a form this reader does not turn into a tensor
    /// (external data, strings, a rare element type): its sessions load it themselves.
    #[error("initializer `{name}` of {path} cannot be shared: {why}")]
    Unsupported {
        path: PathBuf,
        name: String,
        why: String,
    },
    /// Shared, because the error is kept per model and cloned to each pool that asks.
    #[error("cannot tell which initializers of {path} ORT's optimizer rewrites: {source}")]
    Optimizer {
        path: PathBuf,
        source: Arc<ProbeError>,
    },
    #[error("ONNX Runtime refused initializer `{name}` of {path}: {detail}")]
    Tensor {
        path: PathBuf,
        name: String,
        detail: String,
    },
}

/// A model's initializers as ORT tensors, ready to hand to every session of a pool.
pub struct ModelWeights {
    pub initializers: Vec<(String, Arc<DynValue>)>,
    /// Bytes of tensor data held.
    pub bytes: u64,
    /// Initializers left to each session, because ORT's optimizer rewrites them.
    pub per_session: usize,
}

/// The weights of the models a pool has opened, read at the first session of each.
pub struct SharedWeights {
    models: Mutex<HashMap<PathBuf, Result<Arc<ModelWeights>, WeightsError>>>,
}

impl std::fmt::Debug for SharedWeights {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let models = self.models.lock().map(|m| m.len()).unwrap_or(0);
        f.debug_struct("SharedWeights")
            .field("models", &models)
            .finish()
    }
}

impl Default for SharedWeights {
    fn default() -> Self {
        SharedWeights::new()
    }
}

impl SharedWeights {
    pub fn new() -> SharedWeights {
        SharedWeights {
            models: Mutex::new(HashMap::new()),
        }
    }

    /// `model`'s weights, less the initializers `rewritten` names (those ORT's optimizer
    /// changes), read the first time they are asked for (later callers wait for that read
    /// rather than making their own). A model that cannot be read this way is remembered
    /// too, so each pool logs why once.
    pub fn for_model(
        &self,
        model: &Path,
        rewritten: impl FnOnce() -> Result<HashSet<String>, ProbeError>,
    ) -> Result<Arc<ModelWeights>, WeightsError> {
        let mut models = self.models.lock().unwrap_or_else(|p| p.into_inner());
        models
            .entry(model.to_path_buf())
            .or_insert_with(|| {
                let read = rewritten()
                    .map_err(|e| WeightsError::Optimizer {
                        path: model.to_path_buf(),
                        source: Arc::new(e),
                    })
                    .and_then(|skip| read_initializers(model, &skip))
                    .map(Arc::new);
                match &read {
                    Ok(weights) => log::debug!(
                        "{}: {} initializers ({:.1} MiB) shared by the pool's sessions; {} \
                         rewritten by ORT's optimizer stay in each session",
                        model.display(),
                        weights.initializers.len(),
                        weights.bytes as f64 / (1 << 20) as f64,
                        weights.per_session
                    ),
                    Err(e) => {
                        log::warn!("{e}; each worker loads its own copy of this model's weights")
                    }
                }
                read
            })
            .clone()
    }
}

/// The initializers of the ONNX file at `path`, as stored (raw data sliced from the file).
pub(crate) fn stored_initializers(path: &Path) -> Result<Vec<TensorProto>, WeightsError> {
    let file = std::fs::read(path).map_err(|e| WeightsError::Read {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    // Decoding from `Bytes` makes each raw_data a slice of the file, not a copy.
    let model = ModelProto::decode(Bytes::from(file)).map_err(|e| WeightsError::NotOnnx {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    let graph = model.graph.ok_or_else(|| WeightsError::NotOnnx {
        path: path.to_path_buf(),
        detail: "it has no graph".into(),
    })?;
    Ok(graph.initializer)
}

/// Reads every initializer of the ONNX file at `path` but those in `skip` into an ORT tensor.
pub fn read_initializers(
    path: &Path,
    skip: &HashSet<String>,
) -> Result<ModelWeights, WeightsError> {
    let stored = stored_initializers(path)?;
    let mut weights = ModelWeights {
        initializers: Vec::with_capacity(stored.len()),
        bytes: 0,
        per_session: 0,
    };
    for tensor in stored {
        if skip.contains(&tensor.name) {
            weights.per_session += 1;
            continue;
        }
        let name = tensor.name.clone();
        let (value, bytes) = to_value(tensor).map_err(|e| match e {
            ToValue::Unsupported(why) => WeightsError::Unsupported {
                path: path.to_path_buf(),
                name: name.clone(),
                why,
            },
            ToValue::Ort(detail) => WeightsError::Tensor {
                path: path.to_path_buf(),
                name: name.clone(),
                detail,
            },
        })?;
        weights.bytes += bytes;
        weights.initializers.push((name, Arc::new(value)));
    }
    Ok(weights)
}

enum ToValue {
    Unsupported(String),
    Ort(String),
}

/// One TensorProto as an ORT tensor, and its size in bytes. Raw data is little-endian
/// (ONNX's rule); the typed fields (`float_data`, `int32_data`, ...) hold small tensors.
fn to_value(tensor: TensorProto) -> Result<(DynValue, u64), ToValue> {
    if tensor.data_location == 1 || !tensor.external_data.is_empty() {
        return Err(ToValue::Unsupported(
            "its data is in an external file".into(),
        ));
    }
    let dims = tensor.dims.clone();
    let raw = !tensor.raw_data.is_empty();
    fn tensor_of<T>(dims: Vec<i64>, data: Vec<T>) -> Result<(DynValue, u64), ToValue>
    where
        T: ort::value::PrimitiveTensorElementType + Clone + std::fmt::Debug + 'static,
    {
        let bytes = (data.len() * size_of::<T>()) as u64;
        Tensor::from_array((dims, data))
            .map(|t| (t.into_dyn(), bytes))
            .map_err(|e| ToValue::Ort(e.to_string()))
    }
    fn le<const N: usize, T>(raw: &[u8], from: fn([u8; N]) -> T) -> Vec<T> {
        raw.chunks_exact(N)
            .map(|c| from(c.try_into().expect("chunks_exact gives N bytes")))
            .collect()
    }
    let r = &tensor.raw_data;
    match tensor.data_type {
        data_type::FLOAT if raw => tensor_of(dims, le(r, f32::from_le_bytes)),
        data_type::FLOAT => tensor_of(dims, tensor.float_data),
        data_type::UINT8 if raw => tensor_of(dims, r.to_vec()),
        data_type::UINT8 => tensor_of(dims, tensor.int32_data.iter().map(|&v| v as u8).collect()),
        data_type::INT8 if raw => tensor_of(dims, r.iter().map(|&b| b as i8).collect()),
        data_type::INT8 => tensor_of(dims, tensor.int32_data.iter().map(|&v| v as i8).collect()),
        data_type::INT32 if raw => tensor_of(dims, le(r, i32::from_le_bytes)),
        data_type::INT32 => tensor_of(dims, tensor.int32_data),
        data_type::INT64 if raw => tensor_of(dims, le(r, i64::from_le_bytes)),
        data_type::INT64 => tensor_of(dims, tensor.int64_data),
        data_type::BOOL if raw => tensor_of(dims, r.iter().map(|&b| b != 0).collect()),
        data_type::BOOL => tensor_of(dims, tensor.int32_data.iter().map(|&v| v != 0).collect()),
        data_type::DOUBLE if raw => tensor_of(dims, le(r, f64::from_le_bytes)),
        data_type::DOUBLE => tensor_of(dims, tensor.double_data),
        other => Err(ToValue::Unsupported(format!(
            "element type {other} is not read here"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-encoded ModelProto: graph (7) { initializer (5) { dims, data_type, name, raw } }.
    fn model_bytes(tensors: &[TensorProto]) -> Vec<u8> {
        let model = ModelProto {
            graph: Some(onnx_proto::GraphProto {
                initializer: tensors.to_vec(),
            }),
        };
        model.encode_to_vec()
    }

    #[test]
    fn raw_and_typed_initializers_are_read_and_external_ones_refused() {
        crate::engine::runtime::load(None, &crate::assets::Assets::locate())
            .expect("ONNX Runtime: run scripts/setup");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.onnx");
        let floats: Vec<u8> = [1.5f32, -2.0, 0.25, 8.0]
            .iter()
            .flat_map(|f| f.to_le_bytes())
            .collect();
        let tensors = [
            TensorProto {
                name: "w".into(),
                dims: vec![2, 2],
                data_type: data_type::FLOAT,
                raw_data: Bytes::from(floats),
                ..Default::default()
            },
            TensorProto {
                name: "q".into(),
                dims: vec![3],
                data_type: data_type::INT8,
                raw_data: Bytes::from_static(&[0xff, 0x01, 0x80]),
                ..Default::default()
            },
            TensorProto {
                name: "shape".into(),
                dims: vec![2],
                data_type: data_type::INT64,
                int64_data: vec![-1, 7],
                ..Default::default()
            },
            TensorProto {
                name: "scalar".into(),
                dims: vec![],
                data_type: data_type::FLOAT,
                float_data: vec![0.5],
                ..Default::default()
            },
        ];
        std::fs::write(&path, model_bytes(&tensors)).unwrap();
        let weights = read_initializers(&path, &HashSet::new()).unwrap();
        let names: Vec<&str> = weights
            .initializers
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(names, ["w", "q", "shape", "scalar"]);
        assert_eq!(weights.bytes, 16 + 3 + 16 + 4);
        let (shape, data) = weights.initializers[0]
            .1
            .try_extract_tensor::<f32>()
            .unwrap();
        assert_eq!(
            (&shape[..], data),
            (&[2i64, 2][..], &[1.5f32, -2.0, 0.25, 8.0][..])
        );
        let (_, q) = weights.initializers[1]
            .1
            .try_extract_tensor::<i8>()
            .unwrap();
        assert_eq!(q, [-1, 1, -128]);
        let (_, s) = weights.initializers[2]
            .1
            .try_extract_tensor::<i64>()
            .unwrap();
        assert_eq!(s, [-1, 7]);

        let external = TensorProto {
            name: "far".into(),
            dims: vec![1],
            data_type: data_type::FLOAT,
            data_location: 1,
            ..Default::default()
        };
        std::fs::write(&path, model_bytes(&[external])).unwrap();
        let err = read_initializers(&path, &HashSet::new()).err().unwrap();
        assert!(
            err.to_string().contains("`far`") && err.to_string().contains("external"),
            "{err}"
        );
        std::fs::write(&path, b"not a model at all, just text").unwrap();
        assert!(matches!(
            read_initializers(&path, &HashSet::new()),
            Err(WeightsError::NotOnnx { .. })
        ));
    }
}
