/// Every session of a session store, by key, kept in memory beside the store and complete.
///
/// Finding a key's sessions in RocksDB takes an iterator that merges the memtable, the write
/// batch and the files, and skips the deletions that every session extension leaves: tens of
/// microseconds a record. Here it is one dictionary lookup. Values sit in slots of a plain array,
/// found through dictionaries of concrete types (the code is generic and unspecialised, where a
/// dictionary of a generic value costs a metadata lookup per access).
final class LiveSessions<V> {
    struct Session {
        var start: Int64
        var end: Int64
        var slot: Int
    }

    /// Per key prefix, its sessions by end ascending (a key's sessions never overlap).
    @exclusivity(unchecked) private var byKey: [StoreKey: [Session]] = [:]
    @exclusivity(unchecked) private var values: [V] = []
    @exclusivity(unchecked) private var free: [Int] = []
    /// Sessions held.
    private(set) var count = 0

    func sessions(of prefix: StoreKey) -> [Session] { byKey[prefix] ?? [] }

    func value(_ session: Session) -> V { values[session.slot] }

    /// Sets the session `[start, end]` of `prefix` to `value`, or removes it (`nil`).
    func set(_ prefix: StoreKey, start: Int64, end: Int64, _ value: V?) {
        var list = byKey.removeValue(forKey: prefix) ?? []
        if let i = list.firstIndex(where: { $0.start == start && $0.end == end }) {
            guard let value else {
                free.append(list[i].slot)
                list.remove(at: i)
                count -= 1
                if !list.isEmpty { byKey[prefix] = list }
                return
            }
            values[list[i].slot] = value
        } else if let value {
            let slot: Int
            if let reused = free.popLast() {
                values[reused] = value
                slot = reused
            } else {
                values.append(value)
                slot = values.count - 1
            }
            var at = list.count
            while at > 0 && list[at - 1].end > end { at -= 1 }
            list.insert(Session(start: start, end: end, slot: slot), at: at)
            count += 1
        }
        if !list.isEmpty { byKey[prefix] = list }
    }
}
