import ArgumentParser
import Foundation
import Kryteria

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(not yet)")
    func run() throws { throw ExitCode(2) }
}
