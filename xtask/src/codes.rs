//! The closed registry of diagnostic codes, in the manner of ruff's `codes.rs`:
//! every code the tool can emit, its default level, where the rule comes from
//! (the reference tool, an extra of ours, or the tool itself), whether it guards
//! safety, and its documentation (printed by `cargo xtask explain CODE`).
//!
//! A diagnostic carries a [`Code`], never a free string, so an unknown code
//! cannot be emitted and every code is documented here.

use std::fmt;

/// The level a code has unless the configuration says otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DefaultLevel {
    Error,
    Warning,
}

/// Where a rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// The reference tool (domino-py 0.9.4, Dioptra 1.2.2) applies it too.
    Reference,
    /// Ours: the reference accepts the input (or crashes on it).
    Extra,
    /// About the command line, the configuration or the environment.
    Tool,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Reference => "reference",
            Origin::Extra => "extra",
            Origin::Tool => "tool",
        }
    }
}

macro_rules! codes {
    ($(
        $(#[doc = $doc:literal])+
        $variant:ident = $name:literal, $level:ident, $origin:ident $(, $safety:ident)?;
    )+) => {
        /// Every diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($variant,)+
        }

        impl Code {
            /// Every code, in registry order (sorted by name).
            pub const ALL: &'static [Code] = &[$(Code::$variant,)+];

            /// `<area>::<kebab-name>`, e.g. `domino::missing-models`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)+
                }
            }

            pub const fn default_level(self) -> DefaultLevel {
                match self {
                    $(Code::$variant => DefaultLevel::$level,)+
                }
            }

            pub const fn origin(self) -> Origin {
                match self {
                    $(Code::$variant => Origin::$origin,)+
                }
            }

            /// Codes that guard containment and name validation: their level
            /// cannot be lowered by configuration.
            pub const fn is_safety(self) -> bool {
                match self {
                    $(Code::$variant => codes!(@safety $($safety)?),)+
                }
            }

            /// The documentation: a summary line, then paragraphs.
            pub const fn docs(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!($($doc, "\n"),+),)+
                }
            }
        }
    };
    (@safety safety) => { true };
    (@safety) => { false };
}

impl Code {
    /// The area before `::` (`domino`, `dioptra`, `python`, `graph`, ...).
    pub fn area(self) -> &'static str {
        self.as_str().split("::").next().unwrap_or("")
    }

    /// The first line of the documentation.
    pub fn summary(self) -> &'static str {
        self.docs().trim_start().lines().next().unwrap_or("").trim()
    }

    /// The documentation after the summary line: its paragraphs, each on one
    /// line, separated by a blank line (empty for a code documented by its
    /// summary alone).
    pub fn documentation(self) -> String {
        let mut paragraphs: Vec<String> = Vec::new();
        let mut current = String::new();
        for line in self.docs().trim_start().lines().skip(1) {
            let line = line.trim();
            if line.is_empty() {
                if !current.is_empty() {
                    paragraphs.push(std::mem::take(&mut current));
                }
            } else {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(line);
            }
        }
        if !current.is_empty() {
            paragraphs.push(current);
        }
        paragraphs.join("\n\n")
    }

    /// A Pascal-case friendly name (`domino::json-syntax` -> `DominoJsonSyntax`),
    /// SARIF's `reportingDescriptor.name`.
    pub fn pascal_name(self) -> String {
        self.as_str()
            .split([':', '-'])
            .filter(|part| !part.is_empty())
            .map(|part| {
                let mut chars = part.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_ascii_uppercase().to_string() + chars.as_str()
                })
            })
            .collect()
    }

    /// Looks a code up by name.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|code| code.as_str() == name)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Code::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown diagnostic code `{name}`")))
    }
}

codes! {
    /// `[workspace.metadata.pieces]` in the workspace Cargo.toml has a value of the wrong shape
    ///
    /// The table is validated against `schemas/workspace-metadata.schema.json` (every violation
    /// is reported, at its key) and then read into the settings; either failure fires this
    /// code. The configuration belongs to this tool, so no reference is involved: the run stops
    /// before any repository is read and exits with status 2. Fix the value as the message says.
    ///
    /// Example: `roots = "pieces-repos"` must be an array: `roots = ["pieces-repos"]`; an
    /// unknown `generator = "domino-py-iisa"` -> did you mean `domino-py-iisas`?
    ConfigInvalid = "config::invalid", Error, Tool;
    /// The workspace Cargo.toml is not valid TOML
    ///
    /// The manifest of the workspace (the nearest ancestor `Cargo.toml` with a `[workspace]`
    /// table) is parsed to read `[workspace.metadata.pieces]`; every syntax error is reported at
    /// its line and column. Nothing is checked with a broken configuration: the run exits with
    /// status 2. Fix the TOML syntax (cargo itself rejects the file too).
    ConfigTomlSyntax = "config::toml-syntax", Error, Tool;
    /// A key of `[workspace.metadata.pieces]` is not a known setting
    ///
    /// Fires for a key of `[workspace.metadata.pieces]` other than `roots`, `registry_host`,
    /// `tag`, `domino_base_image`, `generator`, `max_file_size`, `lints` and `repositories`, and
    /// for a key of `[workspace.metadata.pieces.repositories.<name>]` other than `source_url`,
    /// `tag`, `dioptra_group`, `generator` and `lints`. A misspelt setting would otherwise be silently ignored, so the run exits
    /// with status 2; the help line suggests the closest known key ("did you mean").
    ///
    /// Example: `registry-host = "ghcr.io"` -> did you mean `registry_host`?
    ConfigUnknownKey = "config::unknown-key", Error, Tool;
    /// The workspace Cargo.toml cannot be read
    ///
    /// The manifest holding the configuration could not be read from disk, or is not valid
    /// UTF-8. The settings cannot be known, so nothing is checked and the run exits with
    /// status 2. Check the file's permissions and encoding.
    ConfigUnreadable = "config::unreadable", Error, Tool;
    /// One function task name comes from several plugins attached to an entrypoint
    ///
    /// Fires (on the entrypoint's `plugins`) when two or more plugins of the entrypoint declare
    /// a function task with the same name. Task graphs name tasks by their bare name, and
    /// Dioptra 1.2.2 silently uses the one of the last plugin, so the graph may run another
    /// function than intended; this is an extra warning (Dioptra accepts the import). Rename one
    /// of the tasks, or attach only one of these plugins.
    DioptraAmbiguousTask = "dioptra::ambiguous-task", Warning, Extra;
    /// A declared parameter type has the name of a builtin type
    ///
    /// The name of a `[[plugin_param_types]]` entry, stripped and lower-cased, equals one of the
    /// builtins `any`, `string`, `integer`, `number`, `boolean`, `null` (so ` Integer` and `ANY`
    /// count). Dioptra 1.2.2 rejects such an import (HTTP 400). Rename the type, or use the
    /// builtin directly.
    DioptraBuiltinTypeRedefined = "dioptra::builtin-type-redefined", Error, Reference;
    /// The import bundle of a valid resource TOML could not be built
    ///
    /// Only `build-all` builds bundles, and only for a config without errors: the config, its
    /// plugin folders and entrypoint files are read again and packed into
    /// `dioptra/<repo>/<config>.tar.gz`. This code reports the I/O error of that step (e.g. a
    /// file that can no longer be read); it is a problem of the machine, not a Dioptra rule.
    /// Check the files named in the message and run `build-all` again.
    DioptraBundleFailed = "dioptra::bundle-failed", Error, Tool;
    /// Two entrypoints of a resource TOML have the same name
    ///
    /// Entrypoint names (`name`, or in the seed dialect the stem of `path` when `name` is
    /// absent) must be unique within one resource TOML; the later occurrence is reported, with
    /// the first one as a note. Dioptra 1.2.2 rejects the import (HTTP 400). Rename one of the
    /// entrypoints.
    DioptraDuplicateEntrypoint = "dioptra::duplicate-entrypoint", Error, Reference;
    /// Two plugins have the same path, or paths with the same last component
    ///
    /// A plugin is named after the last component (stem) of its `path`, so two plugins with the
    /// same path string, or with different paths ending in the same name (`a/core`, `b/core`),
    /// collide. Dioptra 1.2.2 rejects the import (HTTP 400 for a repeated path, 409 for a
    /// repeated name). Remove the duplicate entry or rename one of the folders.
    DioptraDuplicatePlugin = "dioptra::duplicate-plugin", Error, Reference;
    /// A plugin declares a task twice, or one name as both a function and an artifact task
    ///
    /// Function task names must be unique within a plugin's functions, artifact task names
    /// within its artifacts, and a name may not be both a function task and an artifact task of
    /// the same file. Dioptra 1.2.2 rejects the import (HTTP 400). Remove the repeated entry or
    /// rename one of the tasks.
    DioptraDuplicateTask = "dioptra::duplicate-task", Error, Reference;
    /// A task, entrypoint or artifact parameter name is declared twice
    ///
    /// Fires for a repeated name among a task's `input_params` or among its `output_params`,
    /// among an entrypoint's `params` and `artifact_params` together, or among the outputs of
    /// one artifact parameter; the later occurrence is reported. Dioptra 1.2.2 rejects the
    /// import (HTTP 400). Rename or remove the repeated parameter.
    DioptraDuplicateTaskParameter = "dioptra::duplicate-task-parameter", Error, Reference;
    /// A parameter type is declared twice in one resource TOML
    ///
    /// Two `[[plugin_param_types]]` entries have the same `name`; the later one is reported,
    /// with the first declaration as a note. Dioptra 1.2.2 rejects the import (HTTP 409).
    /// Remove one declaration or rename it.
    DioptraDuplicateType = "dioptra::duplicate-type", Error, Reference;
    /// A declared union type lists the same member type more than once
    ///
    /// Fires on the repeated member of the `union` of a `[[plugin_param_types]]` entry.
    /// Dioptra's validator only warns about it, but the import of Dioptra 1.2.2 rejects it
    /// (HTTP 400). Remove the repeated member.
    ///
    /// Example: `structure = { union = ["integer", "string", "integer"] }`.
    DioptraDuplicateUnionMember = "dioptra::duplicate-union-member", Error, Reference;
    /// A step argument's type does not fit the type of the task input it is given to
    ///
    /// The type of each positional or keyword argument is inferred as Dioptra's validator does
    /// (literals, `$step.output` references, global parameters and their defaults) and compared
    /// with the input's declared type using Dioptra's compatibility rules (`integer` fits
    /// `number`, `number` does not fit `integer`, differently named structured types never
    /// match, ...). Dioptra 1.2.2 rejects such a task graph (HTTP 400). Pass a value of the
    /// expected type or change the input's declared type.
    ///
    /// Example: a float literal `2.5` given to an `integer` input.
    DioptraIncompatibleArgument = "dioptra::incompatible-argument", Error, Reference;
    /// An entrypoint parameter's string default does not convert to its type
    ///
    /// `default_value` is coerced as Dioptra does: `boolean` accepts `true`/`false` in any case,
    /// `integer` Python's `int()` rules (`" 42"`, `"+3"`, `"1_000"` are fine, `"1.0"` is not),
    /// `float` Python's `float()` rules (`"1e3"`, `"inf"`, `"nan"`), `list`/`mapping` JSON text
    /// of that kind. Dioptra 1.2.2 rejects a default that fails (HTTP 400). Write a default the
    /// conversion accepts.
    DioptraInvalidDefault = "dioptra::invalid-default", Error, Reference;
    /// An entrypoint name contains characters Dioptra 1.2 does not allow
    ///
    /// Entrypoint names must match Dioptra 1.2's resource-name pattern: letters, digits, `_`,
    /// `.`, `-` and spaces, and not only spaces (so a `:` or `(` fails). Dioptra 1.2.2 rejects
    /// the import (HTTP 400). Rename the entrypoint (in the seed dialect the name defaults to
    /// the stem of its `path`).
    DioptraInvalidEntrypointName = "dioptra::invalid-entrypoint-name", Error, Reference;
    /// A step invokes its task with arguments that do not match the task's parameters
    ///
    /// Fires when a step passes more positional arguments than the task has inputs, uses a
    /// keyword that is not an input of the task, or gives one input both positionally and by
    /// keyword. These are Dioptra's "illegal task invocation" checks, and Dioptra 1.2.2 rejects
    /// the task graph (HTTP 400). Fix the step's arguments; the help lists the task's inputs.
    DioptraInvalidInvocation = "dioptra::invalid-invocation", Error, Reference;
    /// A plugin or entrypoint path is not a safe relative path inside the repository
    ///
    /// Paths are relative to the config file's folder and are rejected when empty or absolute,
    /// when they contain `\`, `:` or control characters, a `.git` component or a name reserved
    /// on Windows (CON, NUL, AUX, ...), when `..` leads out of the repository root, or when a
    /// symbolic link leads outside it. Dioptra 1.2.2 rejects such paths on import (HTTP 400).
    /// Use a `/`-separated path that stays inside the repository.
    DioptraInvalidPath = "dioptra::invalid-path", Error, Reference;
    /// A Python file in a plugin folder has a name Dioptra refuses
    ///
    /// Every `*.py` file under a plugin folder (not starting with `.`) must match Dioptra's
    /// plugin file name pattern: folder and file names are Python identifiers, and files in
    /// sub-folders and sub-folder names do not start with `_`; a name that is not a safe relative
    /// path also fires. Dioptra 1.2.2 rejects the import (HTTP 400), even for files no task
    /// names. Rename or remove the file.
    ///
    /// Example: `tasks-v2.py` or `sub/__init__.py`.
    DioptraInvalidPluginFileName = "dioptra::invalid-plugin-file-name", Error, Reference;
    /// A plugin's name (the last component of its path) is not a valid Python module name
    ///
    /// The plugin name must match Dioptra 1.2's `^([A-Za-z]|[A-Za-z_][A-Za-z0-9_]+)$`: it starts
    /// with a letter or `_`, then letters, digits or `_`, and is not just `_`. Dioptra 1.2.2
    /// rejects the import (HTTP 400). Rename the plugin folder and its `path`.
    ///
    /// Example: `plugins/2d_tools` or `plugins/my-tools`.
    DioptraInvalidPluginName = "dioptra::invalid-plugin-name", Error, Reference;
    /// A parameter type's `structure` is malformed, or one Dioptra 1.2.2 crashes on
    ///
    /// Fires for a `structure` that is not a table, an unknown structure key, two structure keys
    /// in one type, a `tuple` that is not a list, a `mapping` that is neither a two-item list nor
    /// a table, an empty `union`, a mapping key type other than `string`/`integer`, an `is_a`
    /// that names a structured type, or an anonymous nested type without a structure (or with
    /// `is_a`). Dioptra 1.2.2 fails on such types, typically with an internal server error
    /// (HTTP 500); here each problem is reported once, on the type. Rewrite the structure with
    /// exactly one of `is_a`, `list`, `tuple`, `mapping`, `union`.
    DioptraInvalidStructure = "dioptra::invalid-structure", Error, Reference;
    /// A swap (`?name:` in a step) breaks Dioptra 1.2's swap rules
    ///
    /// Fires for more than one swap in a step, a swap name used by two steps, keys other than
    /// `dependencies` next to a swap, a malformed swap or `?outputs`, a choice that invokes an
    /// unknown task, a choice whose output count differs from `?outputs`, choices with different
    /// output types, or a swap without choices; every combination of choices is then validated
    /// like a plain graph. Dioptra 1.2.2 rejects such a task graph (HTTP 400). As a warning, it
    /// also says when only the first 256 combinations were validated. Fix the swap as described.
    DioptraInvalidSwap = "dioptra::invalid-swap", Error, Reference;
    /// An entrypoint's task graph YAML does not have the shape Dioptra's validator requires
    ///
    /// Covers the structural checks of the entrypoint file: the top level is a mapping with a
    /// non-empty `graph`; step names are non-blank strings without `.` (parameter names too);
    /// each step has one of the short, long (`task`/`args`/`kwargs`) or mixed forms, with string
    /// keyword names and valid `dependencies`; `artifacts:` entries have a reference string as
    /// `contents` and a `task` with a `name`. Dioptra 1.2.2 rejects such files (HTTP 400). As an
    /// extra warning, it also reports top-level keys other than `graph` and `artifacts`, which
    /// Dioptra ignores. Fix the YAML as the message says.
    DioptraInvalidTaskGraph = "dioptra::invalid-task-graph", Error, Reference;
    /// A parameter type name contains characters Dioptra 1.2 does not allow
    ///
    /// Type names must match Dioptra 1.2's resource-name pattern: letters, digits, `_`, `.`,
    /// `-` and spaces, and not only spaces. Dioptra 1.2.2 rejects the import (HTTP 400). Rename
    /// the type and every reference to it.
    ///
    /// Example: `name = "image:rgb"`.
    DioptraInvalidTypeName = "dioptra::invalid-type-name", Error, Reference;
    /// A `list` or `mapping` entrypoint parameter has no `default_value`
    ///
    /// Dioptra 1.2 infers the type of list and mapping parameters from their JSON default, so
    /// without a default it cannot type the parameter and rejects the import (HTTP 400). Add a
    /// JSON default, e.g. `default_value = "[]"` or `default_value = "{}"`.
    DioptraMissingDefault = "dioptra::missing-default", Error, Reference;
    /// An entrypoint's `path` does not name an existing file
    ///
    /// The path (relative to the config file's folder, after the path rules of
    /// `dioptra::invalid-path`) must name a task graph YAML file: it fires when nothing is
    /// there or when it is a folder. Dioptra 1.2.2 rejects the import (HTTP 400). Fix the path
    /// or add the file.
    DioptraMissingEntrypointFile = "dioptra::missing-entrypoint-file", Error, Reference;
    /// A task graph references a global parameter the entrypoint does not declare
    ///
    /// Fires, once per name, for a `$name` reference (in a step or in `artifacts:`) that is
    /// neither a step, an entrypoint parameter nor an artifact parameter; it comes with the
    /// `dioptra::unresolvable-reference` error on the same reference. This is Dioptra's
    /// `missing_global_params` check, and Dioptra 1.2.2 rejects the graph (HTTP 400). Add the
    /// parameter to the entrypoint's `params` (or `artifact_params`), or write `$$name` for a
    /// literal string.
    DioptraMissingGlobalParameter = "dioptra::missing-global-parameter", Error, Reference;
    /// A plugin's `path` does not name an existing folder
    ///
    /// The path (relative to the config file's folder, after the path rules of
    /// `dioptra::invalid-path`) must name a folder: it fires when nothing is there or when it is
    /// a file. Dioptra 1.2.2 rejects the import (HTTP 400). Fix the path or create the plugin
    /// folder.
    DioptraMissingPluginFolder = "dioptra::missing-plugin-folder", Error, Reference;
    /// A step does not give a value to a required task input
    ///
    /// Fires when an input declared `required = true` is given neither positionally nor by
    /// keyword ("required task parameter is not assigned a value"). Dioptra 1.2.2 rejects the
    /// task graph (HTTP 400). Pass the argument, or declare the input not required.
    DioptraMissingRequiredArgument = "dioptra::missing-required-argument", Error, Reference;
    /// A declared task has no function (or artifact class) of its name in its Python file
    ///
    /// The task's file is read statically: a function task needs a top-level `def <name>`, an
    /// artifact task a top-level `class <name>` (a name bound otherwise at the top level, e.g.
    /// by an import, also counts). Dioptra 1.2.2 accepts the import and the job fails only when
    /// it runs, so this is an extra check. Fix the task's `name` or the Python definition; the
    /// help says when a class or function of that name exists instead, else proposes a close
    /// name among the file's top-level definitions ("did you mean"), else says what to define.
    DioptraMissingTaskDefinition = "dioptra::missing-task-definition", Error, Extra;
    /// A step has the same name as an entrypoint parameter
    ///
    /// `$name` could then mean either the step or the parameter ("Some parameters and steps
    /// have the same name"). Dioptra's validator rejects the task graph and the import fails
    /// (HTTP 400). Rename the step or the parameter.
    DioptraNameCollision = "dioptra::name-collision", Error, Reference;
    /// An entrypoint parameter's `default_value` is a TOML number or boolean, not a string
    ///
    /// The schema allows non-string defaults, but Dioptra 1.2.2 crashes on a TOML boolean
    /// (HTTP 500) and silently truncates a float given for an integer parameter, so any
    /// non-string default is rejected here; this is an extra (Dioptra accepts some of these).
    /// Write the default as a string, e.g. `default_value = "3"`.
    DioptraNonStringDefault = "dioptra::non-string-default", Error, Extra;
    /// An `artifacts:` output names a task that is not an artifact task of the entrypoint
    ///
    /// The `task.name` of each entry of `artifacts:` must be an artifact task of one of the
    /// entrypoint's `artifact_plugins`. Dioptra 1.2.2 accepts the import and the job fails when
    /// it runs, so this is an extra check. Name an artifact task, or list the plugin that
    /// defines it in `artifact_plugins`; the help says when the name is a function task.
    DioptraNotAnArtifactTask = "dioptra::not-an-artifact-task", Error, Extra;
    /// An entrypoint parameter's default does not fit its declared type
    ///
    /// After coercion, the default's inferred type must be compatible with the parameter's
    /// type (`string`, `boolean`, `integer`, `float` as `number`); this is check 8 of Dioptra's
    /// validator ("default value ... is incompatible with its declared type"), and Dioptra 1.2.2
    /// rejects the task graph (HTTP 400). Change the default or the parameter's type.
    DioptraParameterTypeMismatch = "dioptra::parameter-type-mismatch", Error, Reference;
    /// A resource TOML does not match the JSON Schema of its dialect
    ///
    /// The dialect (seed `[[plugins.tasks]]` or 1.1+ `tasks.functions`/`tasks.artifacts`) is
    /// detected from the shape of `plugins[].tasks`, and the file is validated against
    /// `schemas/dioptra-resources-seed.schema.json` or `schemas/dioptra-resources-1.1.schema.json`.
    /// Every violation (unknown key, missing `path`, wrong type, an entrypoint parameter `type`
    /// other than string/float/integer/boolean/list/mapping, ...) is reported with the dialect
    /// named. Dioptra 1.2.2 rejects such files (HTTP 400). Fix the entry as the message says.
    DioptraSchema = "dioptra::schema", Error, Reference;
    /// A declared task input does not match the Python function's signature
    ///
    /// The task's function is read statically and compared with its declared `input_params`:
    /// an error for a declared input that is not a parameter of the function (unless it takes
    /// `**kwargs`) when it is required or a step of an entrypoint passes it (an optional input
    /// nothing passes is `dioptra::unused-optional-input`, a warning), and for a parameter
    /// without default that is not declared; a warning for an
    /// input that is not required (`required = false` or absent) while the Python parameter has
    /// no default. Dioptra 1.2.2 accepts these and the job fails when it runs, so this is an
    /// extra. Make the declaration and the signature agree.
    DioptraSignatureMismatch = "dioptra::signature-mismatch", Error, Extra;
    /// Steps of a task graph depend on each other in a cycle
    ///
    /// The graph's edges are the `$step` references in arguments plus explicit `dependencies`;
    /// each cycle is reported once with its whole path ("Step cycle detected: a > b > a").
    /// Dioptra 1.2.2 rejects the task graph (HTTP 400). Break the cycle.
    DioptraStepCycle = "dioptra::step-cycle", Error, Reference;
    /// A resource TOML is not valid TOML
    ///
    /// Every syntax error is reported at its line and column, and nothing else of that file is
    /// checked. Dioptra 1.2.2 rejects the import (HTTP 400). Fix the TOML syntax.
    DioptraTomlSyntax = "dioptra::toml-syntax", Error, Reference;
    /// Declared parameter types refer to each other in a cycle
    ///
    /// Type references through `is_a`, `list`, `tuple`, `mapping` and `union` may not lead back
    /// to the type itself; each cycle is reported on its first type with the whole path
    /// ("Type reference cycle detected: tree > forest > tree"). Dioptra 1.2.2 rejects the import
    /// (HTTP 400). Break the cycle.
    DioptraTypeCycle = "dioptra::type-cycle", Error, Reference;
    /// A type structure refers to a type that is neither builtin nor declared in the file
    ///
    /// Every type name inside a `structure` must be a builtin or a `[[plugin_param_types]]`
    /// entry of the same TOML (types already in a Dioptra instance are not visible to an
    /// import); each undefined name is reported once per type, with a "did you mean" when a
    /// close name exists. Dioptra 1.2.2 rejects the import (HTTP 400). Declare the type or fix
    /// the name.
    DioptraUndefinedType = "dioptra::undefined-type", Error, Reference;
    /// An entrypoint lists a plugin that the resource TOML does not declare
    ///
    /// Every name in an entrypoint's `plugins` and `artifact_plugins` must be the name (path
    /// stem) of a plugin declared in the same file. Dioptra 1.2.2 rejects the import
    /// (HTTP 400). Declare the plugin or fix the name (the help suggests a close one).
    DioptraUnknownPlugin = "dioptra::unknown-plugin", Error, Reference;
    /// A step invokes a task that none of the entrypoint's plugins provides
    ///
    /// The tasks a graph can use are the function tasks of the entrypoint's `plugins`, by bare
    /// name; anything else, an artifact task included, is an "unrecognized task plugin".
    /// Dioptra 1.2.2 rejects the task graph (HTTP 400). Fix the name or attach the plugin that
    /// defines the task; the help suggests a close name or lists the available tasks.
    DioptraUnknownTask = "dioptra::unknown-task", Error, Reference;
    /// A task parameter's `type` is neither a builtin nor declared in the resource TOML
    ///
    /// Fires for the type of a task input or output, of an artifact task output, or of an
    /// artifact parameter output. Only builtins and `[[plugin_param_types]]` of the same file
    /// are visible to an import, and Dioptra 1.2.2 rejects it (HTTP 400). The help proposes a
    /// close builtin or declared type ("did you mean `integer`?") when there is one. Declare
    /// the type or use a builtin (`any`, `string`, `integer`, `number`, `boolean`, `null`).
    DioptraUnknownType = "dioptra::unknown-type", Error, Reference;
    /// A task's `filename` names no Python file of its plugin
    ///
    /// The file, relative to the plugin folder, is not among the plugin's Python files. Dioptra
    /// 1.2.2 silently drops such a task on import (and a graph that uses it then fails to find
    /// it), so this is an extra check. Fix the `filename`; the help suggests a close file name
    /// or lists the plugin's files.
    DioptraUnmatchedTaskFile = "dioptra::unmatched-task-file", Error, Extra;
    /// A file of a Dioptra resource repository cannot be read
    ///
    /// Fires for a resource TOML, an entrypoint's YAML file or a task's Python file that cannot
    /// be read from disk or is not valid UTF-8; the checks that need the file are skipped.
    /// These files are what a Dioptra import reads, so the import cannot use it either. Check
    /// the file's permissions and encoding.
    DioptraUnreadableFile = "dioptra::unreadable-file", Error, Reference;
    /// A `$` reference or a dependency in a task graph does not resolve
    ///
    /// A reference `$x` or `$x.output` must name a step, an entrypoint parameter or an artifact
    /// parameter (in that order); it also fails when the step's task has no output, when an
    /// output name is missing for a task with several outputs or does not exist, or when a
    /// parameter reference has an output name. An explicit dependency must name a step. Dioptra
    /// 1.2.2 rejects the graph (HTTP 400). Fix the reference, or write `$$x` for the literal
    /// text `$x`.
    DioptraUnresolvableReference = "dioptra::unresolvable-reference", Error, Reference;
    /// A declared optional task input is not a parameter of the function, and no step passes it
    ///
    /// An input of a function task that is not required (`required = false`, or absent), that
    /// the task's Python function does not take (no parameter of that name, no `**kwargs`), and
    /// that no step of an entrypoint of the same file passes (by keyword or position). Dioptra
    /// accepts it and nothing fails while no step passes it, so this is an extra warning about a
    /// stale declaration. Where a step does pass it, the call fails when the job runs: that is
    /// `dioptra::signature-mismatch`, an error (as is a required input missing from the
    /// signature). Remove the input from `input_params`, or add the parameter to the function.
    DioptraUnusedOptionalInput = "dioptra::unused-optional-input", Warning, Extra;
    /// An entrypoint parameter or artifact parameter is not used by the task graph
    ///
    /// No `$name` reference of the graph or of `artifacts:` uses the parameter. Dioptra accepts
    /// it; this extra warning points at probably stale or misspelt parameters. Remove it, or
    /// reference it as `$name` in a step.
    DioptraUnusedParameter = "dioptra::unused-parameter", Warning, Extra;
    /// A plugin is attached to no entrypoint, or no task graph uses any of its tasks
    ///
    /// Fires (when the file has entrypoints) for a plugin listed in no entrypoint's `plugins`
    /// or `artifact_plugins`, or, when every task graph of the file could be read, for a plugin
    /// none of whose tasks is used. Dioptra accepts it; this is an extra warning about dead
    /// code. Attach the plugin where it is needed, or remove it.
    DioptraUnusedPlugin = "dioptra::unused-plugin", Warning, Extra;
    /// A declared parameter type is used by nothing in its resource TOML
    ///
    /// When every task graph could be read, a `[[plugin_param_types]]` entry that no task
    /// parameter, artifact parameter or entrypoint uses (directly or through another used type)
    /// is reported. Dioptra accepts it; this is an extra warning. Remove the type or use it.
    DioptraUnusedType = "dioptra::unused-type", Warning, Extra;
    /// An entrypoint's task graph file is not valid YAML
    ///
    /// The YAML is read with positions and PyYAML's scalar rules; a syntax error is reported at
    /// its line and column and the graph is not checked further. Dioptra 1.2.2 rejects the
    /// import (HTTP 400). Fix the YAML syntax.
    DioptraYamlSyntax = "dioptra::yaml-syntax", Error, Reference;
    /// A folder looks like half a Domino Pieces repository and is skipped
    ///
    /// While searching the roots, a folder with `pieces/` and `dependencies/` but no
    /// `config.toml`, a `config.toml` with a `[repository]` table but no `pieces/`, or `pieces/`
    /// next to a `config.toml` without `[repository]` is not treated as a repository, and this
    /// warning says what is missing. Without it the folder would be silently ignored. Add the
    /// missing part, or move the folder out of the roots.
    DiscoverIncompleteDominoRepository = "discover::incomplete-domino-repository", Warning, Extra;
    /// A Dockerfile copies from outside its build context
    ///
    /// A custom Dockerfile of `dependencies/` is built with the repository folder as its
    /// context. A `COPY`/`ADD` source that leaves it, with `..` or through a symbolic link
    /// pointing outside, is refused by Docker ("forbidden path outside the build
    /// context") and is not read here. This guards safety and cannot be allowed. Fix:
    /// copy files of the repository only.
    DominoCopyOutsideContext = "domino::copy-outside-context", Error, Extra, safety;
    /// A piece's `dependency` has a key that an earlier dependency group lacks
    ///
    /// Pieces are grouped by comparing their `dependency` objects on the piece's keys; when a
    /// piece has a key (e.g. `docker_image`) that the first piece of an earlier group does not
    /// have, domino-py 0.9.4 crashes with `KeyError` while grouping. This is reported as an
    /// extra error instead of a crash. Give every piece the same dependency keys, or leave the
    /// extra key out.
    DominoIncomparableDependency = "domino::incomparable-dependency", Error, Extra;
    /// A piece's metadata.json `name` differs from its folder name
    ///
    /// The `name` of `pieces/<Folder>/metadata.json` must equal `<Folder>`; the reference
    /// refuses the repository with "The following Pieces have inconsistent names". Set
    /// `"name"` to the folder name, or rename the folder.
    DominoInconsistentName = "domino::inconsistent-name", Error, Reference;
    /// config.toml does not match the expected `[repository]` table
    ///
    /// config.toml is validated against `schemas/domino-config.schema.json`: a `[repository]`
    /// table with a non-empty string REPOSITORY_NAME and string REGISTRY_NAME, VERSION,
    /// REPOSITORY_LABEL and DESCRIPTION; messages are in Python's jsonschema wording. domino-py
    /// needs these values (a missing REPOSITORY_NAME crashes it). Add or fix the field.
    ///
    /// Example: `VERSION = 1` must be a string: `VERSION = "1"`.
    DominoInvalidConfig = "domino::invalid-config", Error, Reference;
    /// A name or tag in config.toml cannot form a valid container image reference
    ///
    /// Fires when REPOSITORY_NAME (used verbatim in `source_image`) is not a lower-case image
    /// path component, when REGISTRY_NAME (lower-cased) is not a valid registry namespace, or
    /// when VERSION or the configured tag override cannot start an image tag (`<tag>-group0`).
    /// The reference does not check this and would use the invalid name; this is an extra.
    /// Use lower-case letters and digits separated by `.`, `_`, `__` or `-` (the help suggests a
    /// name), and a tag of letters, digits, `_`, `.` and `-`.
    DominoInvalidImageReference = "domino::invalid-image-reference", Error, Extra;
    /// A piece's metadata.json does not match the PieceMetadata schema
    ///
    /// metadata.json is validated against `schemas/piece-metadata.schema.json` (domino-py's
    /// `PieceMetadata`) and every violation is reported in the reference's wording, e.g.
    /// `'description' is a required property`. The reference refuses the repository. Fix the
    /// value; an explicit `null` is rejected too, so leave the key out instead.
    DominoInvalidMetadata = "domino::invalid-metadata", Error, Reference;
    /// REPOSITORY_NAME contains blanks or special characters
    ///
    /// The reference refuses a name with whitespace ("Repository name should not contain blank
    /// spaces") or any of ``!@#$%^&*()+={}[]:;'"<>?/\|~` `` ("... special characters"). Use
    /// letters, digits, `-`, `.` and `_`.
    DominoInvalidRepositoryName = "domino::invalid-repository-name", Error, Reference;
    /// A piece's metadata.json is not valid JSON
    ///
    /// The syntax error is reported at its line and column, and the metadata is not checked
    /// further. The reference stops with a traceback on such a file. Fix the JSON syntax.
    DominoJsonSyntax = "domino::json-syntax", Error, Reference;
    /// config.toml lacks REGISTRY_NAME or VERSION
    ///
    /// The reference only warns (`Missing required fields: [...]`), and so does this code; a
    /// missing REPOSITORY_NAME is a `domino::invalid-config` error instead. Both values name the
    /// published images (`<registry>/<name>:<version>-groupN`), so set them.
    DominoMissingConfigField = "domino::missing-config-field", Warning, Reference;
    /// A Domino repository has no `dependencies/` folder
    ///
    /// The reference refuses the repository ("Dependencies directory does not exist"). Create
    /// `dependencies/`; it may hold only a requirements.txt.
    DominoMissingDependenciesFolder = "domino::missing-dependencies-folder", Error, Reference;
    /// A piece names a requirements file or Dockerfile that `dependencies/` does not hold
    ///
    /// `dependency.requirements_file` and `dependency.dockerfile` in metadata.json must name a
    /// top-level entry of `dependencies/`, unless the value is `"default"`; the reference
    /// refuses the repository ("missing dependency file ... defined for ..."). Fix the name
    /// (the help suggests a close one) or add the file.
    DominoMissingDependencyFile = "domino::missing-dependency-file", Error, Reference;
    /// models.py does not define `InputModel` or `OutputModel`
    ///
    /// The piece's schemas are read from `class InputModel` and `class OutputModel` of its
    /// models.py (`SecretsModel` is optional); without one of them there is no schema to
    /// compile. This static check is an extra. Define the class, e.g.
    /// `class InputModel(BaseModel): ...`.
    DominoMissingModelClass = "domino::missing-model-class", Error, Extra;
    /// A piece folder has no models.py
    ///
    /// Every `pieces/<Name>Piece/` folder needs a models.py; the reference refuses the
    /// repository with "missing 'models.py' for <piece>". Add the file with the piece's
    /// `InputModel` and `OutputModel`.
    DominoMissingModels = "domino::missing-models", Error, Reference;
    /// A piece folder has no piece.py
    ///
    /// Every `pieces/<Name>Piece/` folder needs a piece.py; the reference refuses the
    /// repository with "missing 'piece.py' for <piece>". Add the file with
    /// `class <Name>Piece(BasePiece)` and its `piece_function`.
    DominoMissingPiece = "domino::missing-piece", Error, Reference;
    /// piece.py does not define the class named like the piece folder
    ///
    /// Domino loads the class `<Folder>` from piece.py when the piece runs; the reference does
    /// not check it when organizing, so the failure would only show at run time. This is an
    /// extra; the note lists the classes piece.py does define. Define
    /// `class <Folder>(BasePiece)` or rename the class.
    DominoMissingPieceClass = "domino::missing-piece-class", Error, Extra;
    /// The piece class has no `piece_function` method
    ///
    /// Domino runs a piece by calling `piece_function(self, input_data, ...)` on the class named
    /// like its folder; without it the piece fails at run time, which the reference does not
    /// check. This is an extra. Add the method to the class.
    DominoMissingPieceFunction = "domino::missing-piece-function", Error, Extra;
    /// A Domino repository has no pieces
    ///
    /// Pieces are the direct sub-folders of `pieces/` whose names end in `Piece`; when there
    /// are none the reference refuses the repository ("No pieces found in the Pieces
    /// Repository"). Add a `pieces/<Name>Piece/` folder with models.py and piece.py, or rename
    /// the existing folders.
    DominoNoPieces = "domino::no-pieces", Error, Reference;
    /// Importing a piece's models.py with the Python schema engine failed
    ///
    /// Only with `--schema-engine python` (or `auto` for the models the static reader cannot
    /// read): models.py is imported in one Python process as the reference does, and the
    /// exception it raised is in the message. Without the schemas the piece cannot be compiled.
    /// Fix models.py or its imports, or install what it needs into `$XTASK_PYTHON`.
    DominoPythonImportFailed = "domino::python-import-failed", Error, Extra;
    /// A committed `.domino/` file differs from what would be generated
    ///
    /// `check` regenerates `.domino/compiled_metadata.json` and `.domino/dependencies_map.json`
    /// as `domino piece organize` would (only when the repository has no other error) and
    /// compares them with the committed files, treating `secrets` as a set; it fires when a file
    /// is missing, is not valid JSON, or differs (the note shows the first difference). The
    /// Domino server reads these committed files. What would be generated depends on the
    /// repository's `generator` (domino-py or domino-py-iisas: their pydantic versions write
    /// different schemas); when the committed file is exactly the other generator's output, the
    /// help line says so and names the setting. Regenerate them with
    /// `cargo xtask build-all --only <repo>` and commit the result.
    DominoStaleGeneratedFile = "domino::stale-generated-file", Error, Reference;
    /// A Domino repository's config.toml is not valid TOML
    ///
    /// Every syntax error is reported at its line and column, and the repository's
    /// configuration is not checked further. The reference cannot read the file either. Fix the
    /// TOML syntax.
    DominoTomlSyntax = "domino::toml-syntax", Error, Reference;
    /// A name in models.py (or a module it imports) that Python cannot find
    ///
    /// The reference imports models.py: a name that no statement of the module binds (a typo
    /// such as `x: flaot`) raises `NameError`, and `from <module of the repository> import
    /// <name>` of a name that module lacks raises `ImportError`, so the repository cannot be
    /// organized. The help proposes a close name when there is one. Fix the name, or define
    /// or import it.
    DominoUndefinedName = "domino::undefined-name", Error, Reference;
    /// A key of metadata.json or of config.toml's `[repository]` is not one Domino knows
    ///
    /// The reference accepts any key and ignores the unknown ones, so a misspelt key
    /// (`"dependancy"`, `REPOSITORY_LABLE`) silently loses its value; the only symptom is a
    /// drift later. This extra warns at the key, with the closest known one. Fix the
    /// spelling, or delete the key.
    DominoUnknownKey = "domino::unknown-key", Warning, Extra;
    /// A file of a Domino repository cannot be read
    ///
    /// Fires for config.toml, or a piece's metadata.json, models.py or piece.py, that cannot be
    /// read from disk or is not valid UTF-8; the checks that need the file are skipped. The
    /// reference cannot read it either. Check the file's permissions and encoding.
    DominoUnreadableFile = "domino::unreadable-file", Error, Reference;
    /// models.py uses a construct the static schema reader cannot follow
    ///
    /// The default `--schema-engine static` computes pydantic 2.4.2's schemas without running
    /// Python; when it meets something it does not understand, it reports it at that node and
    /// gives no schema rather than a wrong one. The reference (which imports the module) may
    /// accept it, so this is an extra. Simplify the construct, or use `--schema-engine auto`
    /// (or `python`), which imports such models with pydantic.
    DominoUnsupportedModelConstruct = "domino::unsupported-model-construct", Error, Extra;
    /// A file of `dependencies/` is used by no piece
    ///
    /// A file is used when a piece's `dependency` names it, when a used requirements file
    /// includes it with `-r`/`-c`, or when a used Dockerfile copies it; anything else is
    /// probably left over. The reference ignores it; this is an extra warning. Name it in a
    /// piece's metadata.json, include it from a used file, or delete it.
    DominoUnusedDependencyFile = "domino::unused-dependency-file", Warning, Extra;
    /// `build-all` could not build a Domino release archive
    ///
    /// Building `releases/<REPOSITORY_NAME>-<VERSION>.tar.gz` (the repository's tree with the
    /// regenerated `.domino/`) failed with an I/O error, shown in the message. Nothing is
    /// written and the run exits with status 2. Check that the repository's files are
    /// readable.
    EnvArchiveFailed = "env::archive-failed", Error, Tool;
    /// `build-images`: `docker buildx bake` failed
    ///
    /// The plan (`docker-bake.json`) was written and `docker buildx bake` ran on it, but it
    /// failed; its own output says why. The run exits with status 2. Fix the build problem
    /// (registry login for `--push`, a failing `pip install`, ...) and run it again.
    EnvBakeFailed = "env::bake-failed", Error, Tool;
    /// `--changed-since` could not list the files changed since the revision
    ///
    /// The affected repositories are found with `git diff --name-only <REV>` and
    /// `git ls-files --others` from the workspace root; this fires when that is not a git work
    /// tree or git does not know the revision. The run exits with status 2. Run it inside the
    /// git work tree with a revision it has (fetch it first in a shallow CI clone).
    EnvChangedSince = "env::changed-since", Error, Tool;
    /// The working directory cannot be read
    ///
    /// The tool starts from the current directory to find the workspace and its configuration;
    /// when the operating system cannot give it (e.g. the folder was deleted), the run exits
    /// with status 2. Run the command from an existing folder.
    EnvCwd = "env::cwd", Error, Tool;
    /// `build-images`: Docker Buildx is not available
    ///
    /// `docker buildx version` failed, so the images cannot be built here. The bake plan has
    /// been written all the same and the run exits with status 2. Run
    /// `docker buildx bake -f <plan>` on a machine with Docker Buildx (any BuildKit builder), or
    /// use `--format gha-matrix`.
    EnvDockerMissing = "env::docker-missing", Error, Tool;
    /// A repository root is not a folder
    ///
    /// Each root (every `--repos DIR`, else `roots` of the configuration, else `pieces-repos/`)
    /// must be an existing folder. The run exits with status 2 before anything is checked. Pass
    /// an existing folder with `--repos DIR`, or fix `roots` in `[workspace.metadata.pieces]`.
    EnvMissingRoot = "env::missing-root", Error, Tool;
    /// `--schema-engine python` cannot run Python with pydantic
    ///
    /// The interpreter (`$XTASK_PYTHON`, default `python3`) could not be started, failed, gave
    /// an unexpected answer, or has no pydantic. With `auto` this only leaves the static
    /// diagnostics in place; with `python` the run exits with status 2. Install pydantic 2.4.2
    /// (e.g. `pip install "domino-py[cli]==0.9.4"`) or point `XTASK_PYTHON` at a Python that
    /// has it.
    EnvPython = "env::python", Error, Tool;
    /// `bench --reference`: the reference tool is not installed
    ///
    /// The comparison needs domino-py in `target/oracle/domino` or Dioptra 1.2.2 in
    /// `target/oracle/dioptra`, and one of them is missing (or could not be run). The run exits
    /// with status 2. Install them with the oracle scripts named in the help
    /// (`tests/oracle/domino_goldens.sh --check`, `tests/oracle/dioptra_verdicts.sh --check`).
    EnvReferenceUnavailable = "env::reference-unavailable", Error, Tool;
    /// `build-images` could not start a shell to run Docker
    ///
    /// The command runner used for `docker buildx` could not be created (the message has the
    /// operating system's error). The run exits with status 2. Check the environment (working
    /// directory, permissions) and run it again.
    EnvShell = "env::shell", Error, Tool;
    /// The worker threads could not be started
    ///
    /// The thread pool for `--jobs N` could not be created (the message has the operating
    /// system's error). The run exits with status 2. Retry with fewer jobs (e.g. `-j 1`) or
    /// check the process limits.
    EnvThreads = "env::threads", Error, Tool;
    /// `--only NAME` names no repository that was found
    ///
    /// `--only` takes a repository's folder name; this fires for a name that matches none of
    /// the repositories discovered under the roots (or, for `graph`, none of those analysed).
    /// The run exits with status 2; the help suggests a close name or lists the repositories.
    /// Fix the name or add the root that holds it with `--repos`.
    EnvUnknownRepository = "env::unknown-repository", Error, Tool;
    /// The `--dist` folder is unsafe to replace
    ///
    /// `build-all` replaces the dist folder as a whole, so it must be a folder the tool
    /// made (it holds the `.xtask-dist` marker), an empty folder, or absent; it may not be
    /// a symbolic link, the workspace root, a repository root, a repository, or a folder
    /// that holds or sits inside one (`--dist pieces-repos` or `--dist .` would delete
    /// the inputs). Exit status 2. Fix: choose another folder, e.g. the default
    /// `target/dist`.
    EnvUnsafeDist = "env::unsafe-dist", Error, Tool, safety;
    /// An output file or the dist folder could not be written
    ///
    /// Fires when `build-all` cannot write a generated file into a repository or replace the
    /// dist folder, or when `--report-dir` or the reports of a failed `build-all` cannot be
    /// written; the message has the operating system's error. The run exits with status 2
    /// (a `build-all` that already found errors keeps status 1). Check the permissions and free
    /// space of the target folder.
    EnvWriteFailed = "env::write-failed", Error, Tool;
    /// Files or images of the monorepo depend on each other in a cycle
    ///
    /// The monorepo graph's dependency edges (requirements `-r`/`-c` includes, Dockerfile
    /// `FROM` images built in the monorepo, ...) may not form a cycle; each one is reported once
    /// with its whole path (type cycles are `dioptra::type-cycle`). Such an environment could
    /// never be resolved or built, and the reference does not look for it, so this is an extra.
    /// Remove one of the edges, e.g. a `-r` line.
    GraphCycle = "graph::cycle", Error, Extra;
    /// A Dioptra plugin, type or entrypoint name is defined by two repositories of one group
    ///
    /// Repositories imported into the same Dioptra group (`dioptra_group` of the repository's
    /// settings, default `default`) may not both define a plugin, a parameter type or an
    /// entrypoint of the same name: the second import would conflict under Dioptra's default
    /// `fail` strategy. Dioptra checks one import at a time, so this cross-repository check is
    /// an extra. Rename one of them, or import the repositories into different groups.
    GraphDioptraNameCollision = "graph::dioptra-name-collision", Error, Extra;
    /// Two Domino dependency groups would build the same image tag
    ///
    /// Each group's `source_image` (`<host>/<registry>/<name>:<tag>-groupN`) must be unique
    /// across the monorepo, or one image would overwrite the other. The reference sees one
    /// repository at a time, so this is an extra. Give the repositories distinct
    /// REPOSITORY_NAME or REGISTRY_NAME, or distinct tags.
    GraphImageTagCollision = "graph::image-tag-collision", Error, Extra;
    /// A group's requirements file, an included file or its Dockerfile cannot be read
    ///
    /// To resolve each Domino group's environment, its Dockerfile or its requirements file and
    /// every file it includes with `-r`/`-c` are read; this fires when one is missing or
    /// unreadable (typically a `-r` line naming a file that does not exist). The reference's
    /// image build reads the same files and fails on them. Fix the include or add the file.
    GraphUnreadableDependency = "graph::unreadable-dependency", Error, Reference;
    /// A file resolves outside the workspace and the repository roots
    ///
    /// Every path a repository makes the tool read (a `-r`/`-c` include, a symbolic
    /// link, a Dioptra path, a Dockerfile `COPY` source) is resolved with its symbolic
    /// links, and must stay inside the folders the user trusts: the workspace root and
    /// the repository roots. A file outside them is never opened, so a hostile
    /// repository cannot copy `/etc/passwd` or `/proc/self/environ` into an artifact.
    /// This guards safety and cannot be allowed. Fix: keep the file inside the
    /// workspace, or add its folder to `roots`.
    InputOutsideTrustedFolders = "input::outside-trusted-folders", Error, Extra, safety;
    /// An input is too large, too deeply nested, or expands beyond its budget
    ///
    /// Inputs are bounded: a file larger than the limit (16 MiB), Python or TOML
    /// nested deeper than CPython or the readers accept, a YAML document whose aliases
    /// expand beyond the node budget. Such a file is not processed further, so one
    /// hostile file cannot exhaust the memory or the stack of the whole run. This
    /// guards safety and cannot be allowed. Fix: shrink or flatten the file.
    InputResourceLimit = "input::resource-limit", Error, Extra, safety;
    /// An input is a FIFO, a device, a socket or a folder instead of a regular file
    ///
    /// Only regular files are read; anything else is refused without being opened for
    /// reading (a named pipe would block the run forever, a device never ends). This
    /// guards safety and cannot be allowed. Fix: commit a regular file.
    InputSpecialFile = "input::special-file", Error, Extra, safety;
    /// A name that becomes a path, an archive entry or a Dockerfile line is not plain
    ///
    /// Names taken from a repository end up in file names (`releases/<REPOSITORY_NAME>-
    /// <VERSION>.tar.gz`, `dioptra/<repository>/<config>.tar.gz`), archive entries, `COPY`
    /// lines of the generated Dockerfiles and bake targets. They must be plain: letters,
    /// digits, `_` first, then also `.`, `+`, `-`, at most 128 characters; file names of a
    /// repository tree must be UTF-8 without control characters. A name like
    /// `x/../../../tmp/x` or one holding a newline followed by `RUN curl ... | sh` is
    /// refused where it is written. This guards safety and cannot be allowed. Fix: rename.
    InputUnsafeName = "input::unsafe-name", Error, Extra, safety;
    /// A generated file would be written through a symbolic link or outside its folder
    ///
    /// Generated files (`.domino/*.json`) are written only into real folders of their
    /// repository: a `.domino` that is a symbolic link (to a folder outside, or to another
    /// repository's `.domino`) is refused, as is an artifact path that would leave the
    /// dist folder. Nothing is written through it. This guards safety and cannot be
    /// allowed. Fix: replace the link with a real folder (or delete it: it is generated).
    OutputUnsafePath = "output::unsafe-path", Error, Extra, safety;
    /// A Python file does not parse
    ///
    /// Fires for a piece's models.py or piece.py and for a Dioptra task file named by a task;
    /// each syntax error is reported at its position (the schema and class checks of a Domino
    /// file are then skipped). The reference tools do not parse these files up front (Domino
    /// fails when it imports them, Dioptra when a job runs one), so this is an extra. Fix the
    /// syntax.
    PythonSyntaxError = "python::syntax-error", Error, Extra;
}

/// Is `text` shaped like a code name (`area::words-with-dashes`, lower-case
/// letters and digits: `^[a-z]+::[a-z0-9]+(-[a-z0-9]+)*$`)? Lint tables are
/// keyed by such names (the workspace-metadata schema's `propertyNames`).
pub fn is_well_formed_name(text: &str) -> bool {
    let Some((area, words)) = text.split_once("::") else {
        return false;
    };
    !area.is_empty()
        && area.bytes().all(|b| b.is_ascii_lowercase())
        && words.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_sorted_and_well_formed() {
        for pair in Code::ALL.windows(2) {
            assert!(
                pair[0].as_str() < pair[1].as_str(),
                "{} then {}",
                pair[0],
                pair[1]
            );
        }
        for code in Code::ALL {
            assert!(is_well_formed_name(code.as_str()), "{code}");
            assert_eq!(Code::from_name(code.as_str()), Some(*code));
        }
    }

    #[test]
    fn documentation_is_the_paragraphs_after_the_summary() {
        let docs = Code::ConfigUnknownKey.documentation();
        assert!(docs.starts_with("Fires for a key of"), "{docs}");
        assert!(!docs.contains("is not a known setting"), "{docs}");
        assert_eq!(docs.matches("\n\n").count(), 1, "two paragraphs: {docs}");
        assert!(!docs.contains("\n\n\n") && !docs.starts_with(' '));
        assert_eq!(Code::ConfigUnknownKey.pascal_name(), "ConfigUnknownKey");
        for code in Code::ALL {
            assert_eq!(code.pascal_name(), format!("{code:?}"), "{code}");
        }
    }

    #[test]
    fn every_code_is_documented() {
        for code in Code::ALL {
            let docs = code.docs();
            assert!(!code.summary().is_empty(), "{code} has no summary");
            assert!(!docs.contains("DOC "), "{code} is not documented yet");
            assert!(
                code.summary().len() <= 120,
                "{code}: the summary is one short line"
            );
        }
    }
}
