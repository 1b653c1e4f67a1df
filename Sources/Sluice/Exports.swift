// One `import Sluice` gives a topology file the whole public API (DESIGN.md §1).
@_exported public import SluiceOperators
@_exported public import SluiceRuntime
@_exported public import SluiceTopology
