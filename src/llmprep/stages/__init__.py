"""Per-document stages. Each stage is a callable taking a `DocWork` and mutating it in place."""
