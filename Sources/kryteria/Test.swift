import ArgumentParser
import Foundation
import Kryteria

struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(not yet)")
    func run() throws { throw ExitCode(2) }
}
