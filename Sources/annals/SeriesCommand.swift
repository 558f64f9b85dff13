import AnnalsCore
import ArgumentParser
import Foundation

extension Annals {
    struct SeriesCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "series",
            abstract: "Years × key figures per organisation, from a batch's database.",
            discussion: """
                For each organisation (merged federations joined, as the mappings' merged_from \
                say) and calendar year: income, costs, result, equity and participants, each \
                from the best figure the archive holds: the year's own annual report first, \
                then a figure its printings agree on, then fewer OCR pages. In the text table \
                * marks a figure taken from a later report's comparison column, ! one whose \
                printings disagree.
                  annals series --db data/annals.sqlite
                  annals series --db data/annals.sqlite --org "Södra Norrbotten" --format csv
                """
        )

        @Option(help: ArgumentHelp("The database `annals batch` wrote.", valueName: "annals.sqlite"))
        var db: String

        @Option(help: ArgumentHelp("Only this organisation (or a federation merged into it).", valueName: "name"))
        var org: String?

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, csv }

        @Option(help: "text (a table) or csv.")
        var format: Format = .text

        @OptionGroup var mappingOptions: MappingOptions

        func run() throws {
            guard FileManager.default.fileExists(atPath: db) else {
                throw fail("\(db): error: no such database; run `annals batch … --out DIR` first and give DIR/annals.sqlite.")
            }
            let archive: Archive
            let series: Series
            do {
                archive = try Archive(url: URL(fileURLWithPath: db))
                series = try archive.series(try seriesCheck(archive, mappings: mappingOptions.load()), organisation: org)
            } catch let error as ExitCode {
                throw error
            } catch {
                throw fail("\(db): error: cannot read the database: \(error)")
            }
            if series.rows.isEmpty {
                throw fail("\(db): error: no yearly figures\(org.map { " for \"\($0)\"" } ?? "") in the archive.")
            }
            var out = ""
            switch format {
            case .csv:
                var csv = CSV(header: ["organisation", "year"] + Series.columns.flatMap { [$0.heading, "\($0.heading)_source"] })
                for row in series.rows {
                    var fields: [String?] = [row.organisation, String(row.year)]
                    for column in Series.columns {
                        let cell = row.cells[column.concept]
                        fields += [cell.map { "\($0.value)" }, cell?.file]
                    }
                    csv.append(fields)
                }
                out = csv.text
            case .text:
                var lastOrganisation = ""
                for row in series.rows {
                    if row.organisation != lastOrganisation {
                        out += (lastOrganisation.isEmpty ? "" : "\n") + row.organisation + "\n"
                        out += "  year" + Series.columns.map { $0.heading.leftPadded(15) }.joined() + "\n"
                        lastOrganisation = row.organisation
                    }
                    out += "  \(row.year)" + Series.columns.map { column -> String in
                        guard let cell = row.cells[column.concept] else { return "–".leftPadded(15) }
                        let mark = (cell.ownReport ? "" : "*") + (cell.agreed ? "" : "!")
                        return (SwedishNumberFormat.format(cell.value) + mark).leftPadded(15)
                    }.joined() + "\n"
                }
            }
            try writeToStandardOutput(Data(out.utf8))
        }
    }
}

extension String {
    /// Right-aligned in `width`, with at least one space before it.
    func leftPadded(_ width: Int) -> String { (" " + self).rightAligned(width) }
}
