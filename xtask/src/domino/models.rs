//! PLACEHOLDER written by the domino agent so the crate compiles; the models agent replaces this file.
use crate::diagnostics::Diagnostic;
pub struct ModelSchemas {
    pub input: Option<serde_json::Value>,
    pub output: Option<serde_json::Value>,
    pub secrets: Option<serde_json::Value>,
}
impl std::fmt::Debug for ModelSchemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ModelSchemas")
    }
}
pub fn model_schemas(_module: &crate::python::PythonModule) -> (ModelSchemas, Vec<Diagnostic>) {
    (
        ModelSchemas {
            input: None,
            output: None,
            secrets: None,
        },
        Vec::new(),
    )
}
