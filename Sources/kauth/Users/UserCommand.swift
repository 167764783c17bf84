import ArgumentParser

/// `kauth user …`: users are the names in client certificates the server issued.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add users (certificate and kubeconfig), list, show, revoke and rotate them.",
        subcommands: [UserAddCommand.self, UserListCommand.self, UserShowCommand.self, UserRevokeCommand.self, UserRotateCommand.self]
    )
}
