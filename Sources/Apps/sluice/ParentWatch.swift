import Foundation

/// Ends this process when the process that started it is gone, when `SLUICE_EXIT_WITH_PARENT` is
/// set: a test run that crashes must not leave its workers and brokers running (and loading the
/// next run). `PR_SET_PDEATHSIG` would not do: it fires when the parent's *thread* ends, and a
/// test's threads come and go while its children live on.
enum ParentWatch {
    static func startIfAsked() {
        guard ProcessInfo.processInfo.environment["SLUICE_EXIT_WITH_PARENT"] != nil else { return }
        let parent = getppid()
        let thread = Thread {
            // An orphan is re-parented (to init or a subreaper), so its parent id changes.
            while getppid() == parent { Thread.sleep(forTimeInterval: 0.5) }
            FileHandle.standardError.write(Data("sluice: the parent process \(parent) is gone; exiting\n".utf8))
            _exit(70)
        }
        thread.name = "parent-watch"
        thread.start()
    }
}
