import Foundation
import Testing
@testable import KLScenario

/// Atomic saving and file stamps. Tests run as root, where permissions do not stop writes, so
/// failures are provoked with paths that cannot be written by anyone.
@Suite struct SaveTests {
    /// The names in `directory`, to check no temporary file is left behind.
    func names(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    @Test func saveCreatesAFileThatLoadsBack() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("new.yaml")
        try ScenarioWriter.save(.builtInDefault, to: url)
        #expect(try ScenarioLoader.load(contentsOf: url) == .builtInDefault)
        #expect(try String(contentsOf: url, encoding: .utf8) == ScenarioWriter.yaml(.builtInDefault))
        #expect(try names(in: directory) == ["new.yaml"])
    }

    @Test func saveReplacesAnExistingFileAndKeepsItsPermissions() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("existing.yaml")
        try "old content\n".write(to: url, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: url.path)
        var scenario = Scenario.builtInDefault
        scenario.beta = 0.125
        try ScenarioWriter.save(scenario, to: url)
        #expect(try ScenarioLoader.load(contentsOf: url) == scenario)
        let permissions = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
        #expect(permissions == 0o640)
        #expect(try names(in: directory) == ["existing.yaml"])
    }

    @Test func saveThroughASymbolicLinkReplacesItsTarget() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("target.yaml")
        let link = directory.appendingPathComponent("link.yaml")
        try "old\n".write(to: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        try ScenarioWriter.save(.builtInDefault, to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == target.path)
        #expect(try ScenarioLoader.load(contentsOf: target) == .builtInDefault)
    }

    /// Issue 12, case 7: save-as onto a link to a file that does not exist yet creates the file
    /// the link points to (relative to the link's folder) and keeps the link.
    @Test func saveThroughADanglingSymbolicLinkCreatesItsTarget() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("real"), withIntermediateDirectories: true)
        let link = directory.appendingPathComponent("link.yaml")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real/target.yaml")
        try ScenarioWriter.save(.builtInDefault, to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "real/target.yaml")
        #expect(try ScenarioLoader.load(contentsOf: directory.appendingPathComponent("real/target.yaml")) == .builtInDefault)
        var edited = Scenario.builtInDefault
        try edited.setBeta(2)
        try ScenarioWriter.save(edited, to: link)  // an existing target is patched through the link too
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "real/target.yaml")
        #expect(try ScenarioLoader.load(contentsOf: link).beta == 2)
        #expect(try names(in: directory) == ["link.yaml", "real"])
    }

    /// Issue 12, case 6: saving (here as root) over another user's file keeps its owner, group,
    /// mode and extended attributes.
    @Test func saveKeepsOwnerGroupModeAndExtendedAttributes() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("theirs.yaml")
        try ScenarioWriter.save(.builtInDefault, to: url)
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", "import os, sys; os.setxattr(sys.argv[1], 'user.origin', b'lab')", url.path]
        try python.run()
        python.waitUntilExit()
        let hasAttributes = python.terminationStatus == 0  // the file system may not have user attributes
        let isRoot = geteuid() == 0
        if isRoot { #expect(chown(url.path, 65534, 65534) == 0) }
        #expect(chmod(url.path, 0o640) == 0)
        var edited = Scenario.builtInDefault
        try edited.setBeta(0.25)
        try ScenarioWriter.save(edited, to: url)
        #expect(try ScenarioLoader.load(contentsOf: url).beta == 0.25)
        var status = stat()
        #expect(stat(url.path, &status) == 0)
        #expect(status.st_mode & 0o7777 == 0o640)
        if isRoot { #expect(status.st_uid == 65534 && status.st_gid == 65534) }
        if hasAttributes {
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            check.arguments = ["python3", "-c", "import os, sys; sys.exit(os.getxattr(sys.argv[1], 'user.origin') != b'lab')", url.path]
            try check.run()
            check.waitUntilExit()
            #expect(check.terminationStatus == 0, "the extended attribute user.origin was lost")
        }
        #expect(try names(in: directory) == ["theirs.yaml"])
    }

    @Test func saveBelowARegularFileFailsAndLeavesItUntouched() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("old.yaml")
        try "old content\n".write(to: file, atomically: false, encoding: .utf8)
        let url = file.appendingPathComponent("inner.yaml")
        #expect(throws: ScenarioError(file: url.path, message: "cannot save: a part of the path is not a folder")) {
            try ScenarioWriter.save(.builtInDefault, to: url)
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "old content\n")
        #expect(try names(in: directory) == ["old.yaml"])
    }

    @Test func saveIntoAMissingFolderFails() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("no/such/folder/x.yaml")
        do {
            try ScenarioWriter.save(.builtInDefault, to: url)
            Issue.record("saved into a folder that does not exist")
        } catch {
            #expect(error.description == "\(url.path): cannot save: no such file or folder")
        }
    }

    @Test func saveOverAFolderFailsAndCleansUp() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = directory.appendingPathComponent("folder.yaml")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        try "keep\n".write(to: folder.appendingPathComponent("inside.txt"), atomically: false, encoding: .utf8)
        do {
            try ScenarioWriter.save(.builtInDefault, to: folder)
            Issue.record("saved over a folder")
        } catch {
            #expect(error.message.hasPrefix("cannot save: "))
        }
        // The rename failed after the temporary file was written: it must be gone again.
        #expect(try names(in: directory) == ["folder.yaml"])
        #expect(try names(in: folder) == ["inside.txt"])
    }

    @Test func invalidScenarioIsNotSavedAndTheOldFileIsKept() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("scenario.yaml")
        try ScenarioWriter.save(.builtInDefault, to: url)
        let before = try Data(contentsOf: url)
        var broken = Scenario.builtInDefault
        broken.references[0].logProbabilities[0] = -.infinity  // chat no longer sums to 1
        do {
            try ScenarioWriter.save(broken, to: url)
            Issue.record("saved a scenario that cannot be loaded")
        } catch {
            #expect(error.file == url.path)
            #expect(error.line == 0)
            #expect(error.message.contains("cannot save: the scenario is not valid: references[0].probs: probabilities sum to 0.65"))
        }
        #expect(try Data(contentsOf: url) == before)
        #expect(try names(in: directory) == ["scenario.yaml"])
    }

    @Test func fileStampTellsWhetherTheContentChanged() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("stamped.yaml")
        #expect(FileStamp.of(url) == nil)
        try ScenarioWriter.save(.builtInDefault, to: url)
        let opened = try #require(FileStamp.of(url))
        #expect(FileStamp.of(url) == opened)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: url.path)
        #expect(FileStamp.of(url) == opened, "touching without changing the content is not a change")
        var changed = Scenario.builtInDefault
        changed.beta = 0.6  // same length as 0.5: only the hash can tell
        try ScenarioWriter.save(changed, to: url)
        let now = try #require(FileStamp.of(url))
        #expect(now.size == opened.size)
        #expect(now != opened)
        #expect(FileStamp.of(url.deletingLastPathComponent()) == nil)
    }
}
