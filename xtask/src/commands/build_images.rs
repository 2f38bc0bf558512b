//! `cargo xtask build-images`: `build-all`, then `docker buildx bake` on the plan
//! (through xshell), or a GitHub Actions matrix.

use super::ExitStatus;
use crate::cli::{ImagesArgs, ImagesFormat};
use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::emit::images;
use crate::paths::{absolute, display_path};

pub fn run(args: &ImagesArgs) -> ExitStatus {
    let printer = args.build.common.printer();
    if !args.build.common.only.is_empty() {
        printer.diagnostics(&[Diagnostic::error(
            Code::EnvUnknownRepository,
            "build-images builds from the whole dist, which `--only` does not write",
        )
        .with_help("drop `--only`; to build one repository's images, run `docker buildx bake -f target/dist/docker-bake.json <repository>`")]);
        return ExitStatus::Environment;
    }
    let (status, build) = super::build(&args.build);
    let Some(build) = build else {
        return status;
    };
    let analysis = &build.run.analysis;
    if status != ExitStatus::Success {
        return status;
    }
    let dist = absolute(&args.build.dist);
    let bake_file = dist.join("docker-bake.json");
    let workspace_root = &analysis.config.workspace_root;
    let bake_path = bake_file
        .strip_prefix(workspace_root)
        .map_or_else(|_| display_path(&bake_file), crate::paths::to_slash);
    match args.format {
        ImagesFormat::GhaMatrix => {
            let plan = images::plan(
                &analysis.reports.iter().collect::<Vec<_>>(),
                &analysis.graph,
                workspace_root,
                &dist,
                analysis.config.registry_host(),
            );
            println!("{}", images::gha_matrix(&plan, &bake_path, args.push));
            ExitStatus::Success
        }
        ImagesFormat::Bake => {
            let shell = match xshell::Shell::new() {
                Ok(shell) => shell,
                Err(err) => {
                    printer.diagnostics(&[Diagnostic::error(
                        Code::EnvShell,
                        format!("cannot start a shell: {err}"),
                    )]);
                    return ExitStatus::Environment;
                }
            };
            shell.change_dir(workspace_root);
            if let Err(err) = xshell::cmd!(shell, "docker buildx version")
                .quiet()
                .ignore_stdout()
                .ignore_stderr()
                .run()
            {
                printer.diagnostics(&[Diagnostic::error(
                    Code::EnvDockerMissing,
                    format!("`docker buildx` is not available here: {err}"),
                )
                .with_help(format!(
                    "the plan is written: on a machine with Docker Buildx (any BuildKit builder: local, remote or Kubernetes driver) run `docker buildx bake -f {bake_path}` from the workspace root"
                ))]);
                return ExitStatus::Environment;
            }
            let push = args.push.then_some("--push");
            match xshell::cmd!(shell, "docker buildx bake -f {bake_path} {push...}").run() {
                Ok(()) => ExitStatus::Success,
                Err(err) => {
                    printer.diagnostics(&[Diagnostic::error(
                        Code::EnvBakeFailed,
                        format!("docker buildx bake failed: {err}"),
                    )]);
                    ExitStatus::Environment
                }
            }
        }
    }
}
