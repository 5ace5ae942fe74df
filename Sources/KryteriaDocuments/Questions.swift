import Foundation
import Kryteria

/// What to ask the applicant for a missing profile field, as a question a consultant can read aloud.
///
/// The fields are those of the data contract (`/shared/domain/contract.md`). When the ruleset's shared
/// vocabulary of fields (labels and questions, issue 8) is available, pass its questions to
/// `DecisionSheet.Context.questions`; they take precedence over this table.
public enum MissingQuestions {
    static let table: [String: (pl: String, en: String)] = [
        "as_of": ("Na jaki dzień należy ocenić sytuację?", "As of which date should the case be assessed?"),
        "birth_date": ("Jaka jest data urodzenia?", "What is the date of birth?"),
        "labour_status": ("Jaki jest status na rynku pracy (zatrudniona, zarejestrowana w PUP jako bezrobotna, poszukująca pracy, bierna zawodowo)?",
                          "What is the labour market status (employed, registered unemployed, job seeker, inactive)?"),
        "unemployed_days_last_24_months": ("Ile dni w ciągu ostatnich 24 miesięcy osoba była zarejestrowana jako bezrobotna?",
                                           "How many days in the last 24 months was the person registered as unemployed?"),
        "disability": ("Czy osoba ma orzeczony stopień niepełnosprawności, a jeśli tak, jaki (lekki, umiarkowany, znaczny)?",
                       "Does the person have a certified degree of disability, and which (mild, moderate, severe)?"),
        "disability_kinds": ("Jakiego rodzaju jest niepełnosprawność (intelektualna, choroba psychiczna, autyzm, epilepsja, inna)?",
                             "What kind of disability is it (intellectual, mental illness, autism, epilepsy, other)?"),
        "mental_disorder": ("Czy osoba ma zaburzenia psychiczne (orzeczenie lub dokument równoważny)?", "Does the person have a mental disorder (certificate or equivalent)?"),
        "homeless": ("Czy osoba jest w kryzysie bezdomności?", "Is the person homeless?"),
        "cis_kis_graduate": ("Czy osoba ukończyła zajęcia w CIS lub KIS?", "Did the person complete a CIS or KIS programme?"),
        "special_care_allowance": ("Czy osoba ma prawo do specjalnego zasiłku opiekuńczego?", "Is the person entitled to the special care allowance?"),
        "leaving_foster_care": ("Czy osoba opuszcza pieczę zastępczą?", "Is the person leaving foster care?"),
        "prison": ("Czy osoba odbywa karę pozbawienia wolności albo została zwolniona z zakładu karnego?", "Is the person serving a prison sentence or released from prison?"),
        "released_on": ("Kiedy osoba została zwolniona z zakładu karnego?", "When was the person released from prison?"),
        "refugee": ("Czy osoba ma status uchodźcy lub ochronę uzupełniającą?", "Does the person have refugee status or subsidiary protection?"),
        "addiction_after_therapy": ("Czy osoba ukończyła terapię uzależnienia?", "Has the person completed addiction therapy?"),
        "social_assistance": ("Czy osoba lub jej rodzina korzysta z pomocy społecznej?", "Does the person or their family receive social assistance?"),
        "social_assistance_grounds": ("Z jakich powodów (art. 7 ustawy o pomocy społecznej) udzielana jest pomoc?", "On which grounds (art. 7 of the Social Assistance Act) is assistance given?"),
        "household_size": ("Ile osób liczy gospodarstwo domowe, łącznie z wnioskodawcą?", "How many people are in the household, the applicant included?"),
        "household_monthly_income": ("Jaki jest miesięczny dochód netto całego gospodarstwa domowego?", "What is the net monthly income of the whole household?"),
        "benefits": ("Jakie świadczenia osoba pobiera (zasiłek, emerytura, renta, świadczenie przedemerytalne…)?", "Which benefits does the person receive (unemployment benefit, pension, disability pension…)?"),
        "legal_form": ("Jaka jest forma prawna podmiotu?", "What is the legal form of the entity?"),
        "paid_activity": ("Czy podmiot prowadzi działalność gospodarczą, odpłatną pożytku publicznego lub inną odpłatną?", "Does the entity run business, paid public-benefit or other paid activity?"),
        "public_control": ("Czy podmiot jest kontrolowany przez Skarb Państwa, samorząd lub ich osoby prawne?", "Is the entity controlled by the State Treasury, a local government or their legal persons?"),
        "founded_by_legal_persons": ("Czy spółdzielnię założyły osoby prawne?", "Was the cooperative founded by legal persons?"),
        "ps_type": ("Czy przedsiębiorstwo prowadzi reintegrację czy usługi społeczne?", "Does the enterprise do reintegration or social services?"),
        "employees": ("Kogo podmiot zatrudnia (rodzaj umowy, wymiar etatu, czy to osoba zagrożona wykluczeniem)?", "Whom does the entity employ (contract, FTE, whether at risk of exclusion)?"),
        "contract": ("Na jakiej podstawie osoba jest zatrudniona (umowa o pracę, spółdzielcza umowa o pracę, cywilnoprawna)?", "On what contract is the person employed (employment, cooperative, civil)?"),
        "fte": ("W jakim wymiarze etatu osoba jest zatrudniona?", "What fraction of full time does the person work?"),
        "at_risk": ("Czy ta osoba jest zagrożona wykluczeniem społecznym (art. 2 pkt 6 ustawy o ekonomii społecznej)?", "Is this person at risk of social exclusion (art. 2(6) of the Social Economy Act)?"),
        "bodies": ("Jakie organy ma podmiot (organ konsultacyjno-doradczy, rada nadzorcza, komisja rewizyjna, zebranie konsultacyjne)?", "Which bodies does the entity have (consultative body, supervisory board, audit committee, consultation meeting)?"),
        "statute": ("Czy statut przewiduje działalność nie dla zysku, przeznaczenie dochodu na cele statutowe i zakaz podziału zysku?", "Does the statute provide for not-for-profit activity, income to statutory aims and no profit distribution?"),
        "not_for_profit": ("Czy statut przewiduje działalność nie dla zysku?", "Does the statute provide for not-for-profit activity?"),
        "income_to_statutory_aims": ("Czy statut przeznacza dochód na cele statutowe?", "Does the statute assign income to statutory aims?"),
        "no_profit_distribution": ("Czy statut zakazuje podziału zysku?", "Does the statute forbid profit distribution?"),
        "max_monthly_salary": ("Ile wynosi najwyższe miesięczne wynagrodzenie pracownika lub członka organu?", "What is the highest monthly pay of staff or board?"),
        "last_report_filed_on": ("Kiedy złożono ostatnie sprawozdanie roczne?", "When was the last annual report filed?"),
        "status_lost_on": ("Czy podmiot tracił status przedsiębiorstwa społecznego, a jeśli tak, kiedy decyzja stała się ostateczna?", "Did the entity lose social enterprise status before, and when did that become final?"),
        "members": ("Kim są członkowie spółdzielni (osoby zagrożone wykluczeniem, osoby prawne)?", "Who are the cooperative's members (at risk, legal persons)?"),
        "legal_person": ("Czy ten członek jest osobą prawną?", "Is this member a legal person?"),
        "has_ps_status": ("Czy podmiot ma status przedsiębiorstwa społecznego (decyzja wojewody)?", "Does the entity hold social enterprise status (the voivode's decision)?"),
        "founded_on": ("Kiedy podmiot został założony?", "When was the entity founded?"),
        "program": ("O jaki instrument wsparcia ubiega się wnioskodawca?", "Which support instrument is applied for?"),
        "submitted_on": ("Kiedy złożono wniosek?", "When was the application submitted?"),
        "enterprise": ("Jakie są dane podmiotu składającego wniosek?", "What are the applicant entity's details?"),
        "jobs": ("Jakie stanowiska ma sfinansować dotacja (wymiar etatu, czy to nowe miejsca, kto je obejmie)?", "Which jobs should the grant pay for (FTE, net new, who fills them)?"),
        "net_new": ("Czy to stanowisko to nowe miejsce pracy (przyrost netto zatrudnienia)?", "Is this job a net new job?"),
        "worker": ("Kto obejmie to stanowisko?", "Who will fill this job?"),
        "requested_amount": ("O jaką kwotę wnioskuje podmiot?", "What amount is requested?"),
    ]

    /// The question for a missing path such as `jobs[0].worker.labour_status`, with the place it concerns.
    public static func question(for path: String, lang: Language, extra: [String: String] = [:]) -> String {
        if let q = extra[path] { return q }
        var parts = path.split(separator: ".").map(String.init)
        if parts.first == "$" { parts.removeFirst() }
        let leafRaw = parts.last ?? path
        let leaf = String(leafRaw.prefix { $0 != "[" })
        let place = placeDescription(parts.dropLast(), lang: lang)
        let q: String
        if let e = extra[leaf] {
            q = e
        } else if let t = table[leaf] {
            q = lang == .en ? t.en : t.pl
        } else {
            q = lang == .en ? "What is the value of “\(leaf)”?" : "Jaka jest wartość pola „\(leaf)”?"
        }
        return place.isEmpty ? q : q + " (" + place + ")"
    }

    /// `jobs[0].worker` → "stanowisko 1, pracownik".
    static func placeDescription(_ parts: ArraySlice<String>, lang: Language) -> String {
        var out: [String] = []
        for p in parts {
            let name = String(p.prefix { $0 != "[" })
            var index: Int?
            if let open = p.firstIndex(of: "["), let close = p.firstIndex(of: "]") {
                index = Int(p[p.index(after: open)..<close]).map { $0 + 1 }
            }
            let word: String
            switch name {
            case "jobs": word = lang == .en ? "job" : "stanowisko"
            case "worker": word = lang == .en ? "worker" : "osoba na stanowisku"
            case "employees": word = lang == .en ? "employee" : "pracownik"
            case "members": word = lang == .en ? "member" : "członek"
            case "enterprise": word = lang == .en ? "applicant entity" : "podmiot"
            case "statute": word = lang == .en ? "statute" : "statut"
            case "person": word = lang == .en ? "person" : "osoba"
            default: word = name
            }
            out.append(index.map { "\(word) \($0)" } ?? word)
        }
        return out.joined(separator: ", ")
    }
}
