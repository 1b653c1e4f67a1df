/// A physical operator: receives records one at a time, depth-first, on its task's thread.
///
/// The contract between the logical plan (this module) and the operators that run it
/// (`SluiceOperators`). A processor handles its own failures: a record it cannot process goes to
/// the dead-letter topic; nothing is thrown back up the chain.
/// - Important: a processor belongs to one task and is called from one thread only.
public protocol Processor<Key, Value>: AnyObject {
    associatedtype Key
    associatedtype Value
    func process(_ record: Record<Key, Value>)
}

/// The first operator of a task for one source: deserializes raw records and forwards them.
public protocol SourceProcessor: AnyObject {
    func process(_ raw: RawRecord)
}
