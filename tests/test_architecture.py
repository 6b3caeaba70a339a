"""The house rules of the code base, checked on the source (see docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "llmprep"


def _module_name(path: Path) -> str:
    parts = ["llmprep", *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every llmprep module and the llmprep modules it imports, at top level or inside a function."""
    graph: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        name = _module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                # `from .pkg import module` imports a module, not a name
                candidates = [f"{target}.{a.name}" for a in node.names] + [target]
                found.update(c for c in candidates if c.startswith("llmprep"))
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("llmprep"))
        graph[name] = found
    modules = set(graph)
    return {m: {t for t in targets if t in modules and t != m} for m, targets in graph.items()}


GRAPH = _imports()


def _importers_of(prefixes: tuple[str, ...]) -> dict[str, set[str]]:
    return {
        module: {t for t in targets if t.startswith(prefixes)}
        for module, targets in GRAPH.items()
        if any(t.startswith(prefixes) for t in targets)
    }


def test_the_graph_sees_the_modules_and_their_imports() -> None:
    assert "llmprep.pipeline.assemble" in GRAPH
    assert "llmprep.stages.dedup.fingerprint" in GRAPH["llmprep.pipeline.assemble"]


def test_only_the_pipeline_runners_and_api_use_dedup_comparison_and_the_policy() -> None:
    allowed = ("llmprep.pipeline", "llmprep.runners", "llmprep.api", "llmprep.stages.dedup")
    users = _importers_of(("llmprep.stages.dedup", "llmprep.policy"))
    assert sorted(m for m in users if not m.startswith(allowed)) == []


def test_runners_import_no_stage() -> None:
    users = _importers_of(("llmprep.stages",))
    assert sorted(m for m in users if m.startswith("llmprep.runners")) == []


def test_the_cli_goes_through_the_api_only() -> None:
    reached = GRAPH["llmprep.cli"]
    assert (
        sorted(
            m
            for m in reached
            if m.startswith(("llmprep.loaders", "llmprep.stages", "llmprep.runners"))
        )
        == []
    )


def test_config_imports_no_stage() -> None:
    assert sorted(m for m in GRAPH["llmprep.config"] if m.startswith("llmprep.stages")) == []


def test_loaders_never_import_stages_and_the_model_imports_nothing_of_ours() -> None:
    loaders = _importers_of(("llmprep.stages", "llmprep.pipeline", "llmprep.runners"))
    assert sorted(m for m in loaders if m.startswith("llmprep.loaders")) == []
    assert GRAPH["llmprep.models"] == set()


def test_there_are_no_import_cycles_even_through_imports_inside_functions() -> None:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the stack, 2 done

    def visit(module: str, stack: list[str]) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(GRAPH[module]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target, stack)
        stack.pop()
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [])
    assert cycles == []


def test_no_bench_script_or_module_is_named_like_a_library_it_could_shadow() -> None:
    """Run as a script, a file's folder comes first on sys.path: bench/docx.py would be imported
    instead of python-docx. Names of llmprep's own modules matter for the standard library."""
    import importlib.util
    import sys

    root = SRC.parents[1]
    scripts = sorted(p.stem for p in (root / "bench").glob("*.py"))
    taken = []
    for name in scripts:
        if name in sys.stdlib_module_names:
            taken.append(f"bench/{name}.py (standard library)")
            continue
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin and Path(spec.origin).parent != root / "bench":
            taken.append(f"bench/{name}.py ({spec.origin})")
    own = [
        p.relative_to(root).as_posix()
        for p in SRC.rglob("*.py")
        if p.stem in sys.stdlib_module_names and p.parent == SRC
    ]
    assert taken == [] and own == []
