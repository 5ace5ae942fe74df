import ArgumentParser
import Foundation
import Kryteria

struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(not yet)")
    func run() throws { throw ExitCode(2) }
}
