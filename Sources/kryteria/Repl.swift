import ArgumentParser
import Foundation
import Kryteria

struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(not yet)")
    func run() throws { throw ExitCode(2) }
}
