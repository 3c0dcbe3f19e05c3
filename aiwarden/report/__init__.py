"""Check results and their renderings (terminal, JSON, SARIF, JUnit, Markdown)."""
