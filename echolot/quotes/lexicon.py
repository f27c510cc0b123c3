"""Cue words per language: verbs of saying/claiming and "according to" phrases.

Used by the rule extractor (German, Russian, and English without the trained
models). Forms are listed as regular expressions over lower-cased words so that
inflected forms (sagte, sagten, gesagt; заявил, заявила, заявили) match without
a morphological analyser.
"""
from __future__ import annotations

import re

# finite/participle forms of speech verbs; the content usually follows ", dass" / ":" / a quote
SPEECH_VERBS: dict[str, str] = {
    "de": (
        r"(?:ge)?sag(?:e|t|te|ten|test|en)?|erklär(?:e|t|te|ten|en)|betont(?:e|en)?|betone|"
        r"behaupt(?:e|et|ete|eten|en)|bestr(?:eitet|itt|itten|eiten)|warnt(?:e|en)?|warne|"
        r"kritisiert(?:e|en)?|forder(?:t|te|ten|n)|gefordert|meint(?:e|en)?|schr(?:ieb|ieben|eibt)|geschrieben|"
        r"bericht(?:et|ete|eten|en)|versicher(?:t|te|ten)|unterstrich(?:en)?|bekräftigt(?:e|en)?|"
        r"bestätigt(?:e|en)?|verkündet(?:e|en)?|ergänzt(?:e|en)?|fügt(?:e|en)?|mit(?:ge)?teilt(?:e|en)?|"
        # "teilte X mit": a cue only with its particle closing the clause ("teilt die Grenze mit Russland"
        # and "teilte die Bühne mit Putin" are sharing, not saying)
        r"teilt(?:e|en)?(?=(?:\s+[^\s,.;:!?\"“”„«»]+){0,8}?\s+mit(?:\s*[,.:;!?\"“”„«»]|\s*$))|"
        r"dementiert(?:e|en)?|twittert(?:e|en)?|antwortet(?:e|en)?|argumentiert(?:e|en)?|"
        r"räumt(?:e|en)?|sprach(?:en)?|spricht|hieß|heißt|zitiert(?:e|en)?|sagt|rief|riefen|"
        r"kündigt(?:e|en)?|glaubt(?:e|en)?|vermutet(?:e|en)?|räumte|gab(?:en)?|gibt|"
        r"beschuldigt(?:e|en)?|wirft|warf(?:en)?|mahnt(?:e|en)?|appelliert(?:e|en)?|"
        r"macht(?:e|en)?(?=(?:\s+[\w-]+){0,6}\s+(?:deutlich|klar)\b)|"
        # "erzählt der Chef", "schildert eine Sprecherin", "befand Münsters Coach" (not "befand sich": a place),
        # "führte er aus:" (only with its particle closing the clause, like "teilte … mit")
        r"erzählt(?:e|en)?|schildert(?:e|en)?|befand(?:en)?(?!\s+sich)|"
        r"führt(?:e|en)?(?=(?:\s+[^\s,.;:!?\"“”„«»]+){0,6}?\s+aus\s*[,.:;])"
    ),
    "ru": (
        r"(?:за|)явля(?:ет|ют|л|ла|ли)|заяв(?:ил|ила|или|ит|ят)|сказа(?:л|ла|ли)|говор(?:ит|ят|ил|ила|или)|"
        r"сообщ(?:ил|ила|или|ает|ают|ало)|отмет(?:ил|ила|или)|отмеча(?:ет|ют|л|ла|ли)|"
        r"подчеркн(?:ул|ула|ули)|подчеркива(?:ет|ют|л|ла|ли)|добав(?:ил|ила|или)|добавля(?:ет|ют)|"
        r"поясн(?:ил|ила|или)|призна(?:л|ла|ли)|утвержда(?:ет|ют|л|ла|ли)|счита(?:ет|ют|л|ла|ли)|"
        r"написа(?:л|ла|ли)|пиш(?:ет|ут)|предупред(?:ил|ила|или)|завер(?:ил|ила|или)|уточн(?:ил|ила|или)|"
        r"напомн(?:ил|ила|или)|указа(?:л|ла|ли)|рассказа(?:л|ла|ли)|объясн(?:ил|ила|или)|"
        r"опроверг(?:ла|ли)?|обвин(?:ил|ила|или)|назва(?:л|ла|ли)|ответ(?:ил|ила|или)|"
        r"отверг(?:ла|ли)?|опровер(?:гает|гают)|подтверд(?:ил|ила|или)|выраз(?:ил|ила|или)|"
        r"цитиру(?:ет|ют)|процитирова(?:л|ла|ли)|"
        r"говорится|указано|отмечается"
    ),
    "en": (
        r"said|says|say|told|tells|stated|states|added|adds|wrote|writes|noted|notes|explained|"
        r"claimed|claims|argued|argues|insisted|insists|warned|warns|denied|denies|announced|"
        r"declared|stressed|emphasized|emphasised|tweeted|acknowledged|admitted|asserted|"
        r"suggested|believes|believed|thinks|thought|reported|confirmed|replied|responded|"
        r"described|called|accused|urged|saying|adding|noting|claiming|arguing|telling|warning"
    ),
    "fr": (
        r"dit|dire|disait|déclar(?:é|ée|e|ait|ent)|affirm(?:é|ée|e|ait|ent)|ajout(?:é|ée|e|ait)|soulign(?:é|ée|e|ait)|"
        r"expliqu(?:é|ée|e|ait)|indiqu(?:é|ée|e|ait)|assur(?:é|ée|e|ait)|estim(?:é|ée|e|ait)|annonc(?:é|ée|e|ait)|"
        r"avert(?:i|ie|it)|précis(?:é|ée|e|ait)|répondu|répond|ni(?:é|ée|e)|dément|démenti|insist(?:é|ée|e)|"
        r"prévenu|rappel(?:é|ée|le)|confi(?:é|ée)|écrit|martel(?:é|ée|é)|jug(?:é|ée|e)|reconnu|accus(?:é|ée|e)|"
        r"qualifi(?:é|ée|e)|dénonc(?:é|ée|e)|promis|promet|lanc(?:é|ée|e)|communiqu(?:é|ée|e)|confie|"
        r"justifi(?:é|ée|e)|(?:s['’]est|se)\s+félicit(?:é|ée|és|ées|e|ent)"
    ),
    "es": (
        r"dijo|dice|dicen|dijeron|afirm(?:ó|a|aron|an)|declar(?:ó|a|aron)|asegur(?:ó|a|aron)|añad(?:ió|e|ieron)|"
        r"explic(?:ó|a|aron)|señal(?:ó|a|aron)|indic(?:ó|a|aron)|advirt(?:ió|ieron)|advierte|neg(?:ó|aron)|niega|"
        r"sostuvo|sostiene|subray(?:ó|a)|agreg(?:ó|a|aron)|manifest(?:ó|a)|insist(?:ió|e)|escribió|escribe|"
        r"reconoci(?:ó|eron)|acus(?:ó|a)|calific(?:ó|a)|denunci(?:ó|a)|prometi(?:ó|eron)|anunci(?:ó|a|aron)|"
        r"comunic(?:ó|a|aron)"
    ),
    # Ukrainian past forms end in -в/-ла/-ли/-ло ("заявив", "заявила"), present in -є/-ють
    # Portuguese and Italian run the Spanish rules with their own words (`rules._SPANISH_LIKE`)
    # Bulgarian runs the Russian rules with its own words (`rules._RUSSIAN_LIKE`): aorist and present forms
    "bg": (
        r"заяв(?:и|иха|ява|яват)|каза(?:ха)?|казва(?:т)?|съобщ(?:и|иха|ава|ават)|отбеляза(?:ха)?|отбелязва|"
        r"подчерта(?:ха)?|подчертава|добави(?:ха)?|добавя|допълни(?:ха)?|допълва(?:т)?|обясни(?:ха)?|обяснява|написа(?:ха)?|пише|пишат|"
        r"призна(?:ха)?|посочи(?:ха)?|предупреди(?:ха)?|увери|уточни|напомни|твърд(?:и|ят|еше)|смята(?:т)?|"
        r"счита(?:т)?|заключи|коментира|отговори|нарече|обвини(?:ха)?|цитира"
    ),
    "pt": (
        r"disse|dizem|diz|disseram|afirm(?:ou|a|aram|am)|declar(?:ou|a|aram)|acrescent(?:ou|a|aram)|"
        r"explic(?:ou|a|aram)|sublinh(?:ou|a)|destac(?:ou|a|aram)|salient(?:ou|a)|ressalt(?:ou|a)|"
        r"indic(?:ou|a)|assegur(?:ou|a)|garant(?:iu|e)|advert(?:iu|e)|alert(?:ou|a)|negou|nega|insist(?:iu|e)|"
        r"escreveu|escreve|reconhec(?:eu|e)|acus(?:ou|a)|anunci(?:ou|a|aram)|comunic(?:ou|a)|observ(?:ou|a)|"
        r"enfatiz(?:ou|a)|apont(?:ou|a)|conclu(?:iu|i)|sustent(?:ou|a)|assinal(?:ou|a)|referi(?:u)?|"
        r"reiter(?:ou|a|aram)|fris(?:ou|a)"
    ),
    "it": (
        r"(?:ha\s+|hanno\s+)?(?:detto|dichiarato|affermato|spiegato|sottolineato|aggiunto|precisato|annunciato|"
        r"scritto|ribadito|evidenziato|osservato|assicurato|avvertito|ammesso|negato|concluso|insistito|"
        # "ha poi continuato", "ha quindi ricordato": an adverb may stand between auxiliary and participle
        r"continuato|ricordato)|(?:ha|hanno)\s+(?:poi|quindi|anche|inoltre|ancora)\s+(?:detto|spiegato|aggiunto|"
        r"continuato|precisato|sottolineato|ricordato)|ricorda|"
        r"dice|dicono|disse|dichiara|afferma|spiega|sottolinea|aggiunge|precisa|annuncia|scrive|ribadisce|"
        r"avverte|ammette|nega|conclude|insiste|minaccia|giura(?:no)?|conferma(?:no)?|martella|accusa"
    ),
    "uk": (
        r"заяв(?:ив|ила|или|ило|ляє|ляють|ляв|ляла|ляли)|сказа(?:в|ла|ли|ло)|ка(?:же|жуть|зав|зала|зали)|"
        r"говор(?:ить|ять|ив|ила|или)|повідом(?:ив|ила|или|ило|ляє|ляють|ляв|ляла|ляли)|"
        r"наголо(?:сив|сила|сили|шує|шують)|дода(?:в|ла|ли|є|ють)|зазнач(?:ив|ила|или|ає|ають)|"
        r"підкресл(?:ив|ила|или|ює|юють)|поясн(?:ив|ила|или|ює|юють)|написа(?:в|ла|ли)|пиш(?:е|уть)|"
        r"вважа(?:є|ють|в|ла|ли)|стверджу(?:є|ють|вав|вала|вали)|поперед(?:ив|ила|или)|запевн(?:ив|ила|или|яє)|"
        r"уточн(?:ив|ила|или)|нагада(?:в|ла|ли)|розпов(?:ів|іла|іли|ідає|ідають)|відпов(?:ів|іла|іли)|"
        r"підтверд(?:ив|ила|или|жує)|визна(?:в|ла|ли|є)|запереч(?:ив|ила|или|ує|ують)|"
        r"переда(?:є|ють)|цит(?:ує|ують)|процитува(?:в|ла|ли)|звинува(?:тив|тила|тили|чує|чують)|"
        r"йдеться|зазначається|вказано"
    ),
    "be": (
        r"заяв(?:іў|іла|ілі)|заяўля(?:е|юць|ў|ла|лі)|сказа(?:ў|ла|лі)|ка(?:жа|жуць)|гавор(?:ыць|аць|ыў|ыла|ылі)|"
        r"паведам(?:іў|іла|ілі|ляе|ляюць)|адзнач(?:ыў|ыла|ылі|ае|аюць)|падкрэсл(?:іў|іла|ілі|івае)|"
        r"дада(?:ў|ла|лі)|дадае|растлумач(?:ыў|ыла|ылі)|напіса(?:ў|ла|лі)|піш(?:а|уць)|ліч(?:ыць|аць|ыў|ыла|ылі)|"
        r"сцвярджа(?:е|юць|ў|ла|лі)|папярэдз(?:іў|іла|ілі)|нагада(?:ў|ла|лі)|расказа(?:ў|ла|лі)|"
        r"адказа(?:ў|ла|лі)|пацвердз(?:іў|іла|ілі)|перада(?:е|юць)|цыт(?:уе|уюць)|абвінаваці(?:ў|ла|лі)"
    ),
    # Polish past forms: -ł/-ła/-li/-ły ("powiedział", "powiedziała")
    "pl": (
        r"powiedzia(?:ł|ła|ło|li|ły)|mówi(?:ł|ła|li|ą)?|oświadcz(?:ył|yła|yło|yli|a|ają)|stwierdz(?:ił|iła|iło|ili|a)|"
        r"podkreśl(?:ił|iła|iło|ili|a|ają)|doda(?:ł|ła|li|je|ją)|zaznacz(?:ył|yła|yło|yli|a)|wyjaśni(?:ł|ła|ło|li|a)|"
        r"napisa(?:ł|ła|ło|li)|pisz(?:e|ą)|uważ(?:a|ają|ał|ała|ali)|twierdz(?:i|ą|ił|iła|ili)|"
        r"przekaza(?:ł|ła|ło|li)|poinformowa(?:ł|ła|ło|li)|informuj(?:e|ą)|ostrzeg(?:ł|ła|ło|li|a)|zapewni(?:ł|ła|ło|li|a)|"
        r"przypomnia(?:ł|ła|ło|li)|potwierdzi(?:ł|ła|ło|li)|zaprzeczy(?:ł|ła|ło|li)|odpowiedzia(?:ł|ła|ło|li)|"
        r"oceni(?:ł|ła|ło|li|a)|zauważy(?:ł|ła|ło|li)|przekonywa(?:ł|ła|ło|li)|cytuj(?:e|ą)|zacytowa(?:ł|ła|ło|li)|"
        r"oskarży(?:ł|ła|ło|li)|oskarża(?:ją)?"
    ),
    # Kazakh: the verb closes its clause ("..., – деді Тоқаев"; "Тоқаев ... деп мәлімдеді")
    "kk": (
        r"деді|дейді|деген|мәлімдеді|мәлімдейді|атап\s+өтті|атап\s+өтеді|айтты|айтады|хабарлады|хабарлайды|"
        r"жазды|жазады|түсіндірді|қосты|ескертті|растады|сендірді|санайды"
    ),
}

# phrases that put the source after the cue: "according to X", "laut X", "по словам X"; a group
# `who` marks a source inside the phrase itself ("по её словам")
ACCORDING: dict[str, str] = {
    "de": (r"laut|nach\s+angaben\s+(?:von|des|der)|nach\s+worten\s+(?:von|des|der)|zufolge"
           r"|wie\s+\w+\s+(?:sagte|erklärte|mitteilte|berichtete)"),
    "ru": (r"по\s+(?:(?P<who>его|её|ее|их)\s+)?словам|по\s+данным|по\s+мнению"
           r"|как\s+(?:заявил|заявила|сообщил|сообщила|сообщили|отметил|отметила|пишет|сообщает)"),
    # "за словами X", "за його словами", "на думку X", "як повідомили в X" (the "в" opens the source's place)
    "uk": (r"(?:за|на)\s+(?:(?P<who>його|її|їхніми|їхню|їх)\s+)?(?:словами|думку)|за\s+даними|за\s+інформацією"
           r"|як\s+(?:заяв(?:ив|ила|или|ляв|ляла|ляли)|повідом(?:ив|ила|или|ило|ляв|ляла|ляли|ляє|ляють)|"
           r"зазнач(?:ив|ила|или|ав|ала|али)|наголо(?:сив|сила|сили|шував)|пи(?:ше|шуть|сав|сала|сали)|переда(?:є|ють|вав|вало)|"
           r"дода(?:в|ла|ли)|сказа(?:в|ла|ли)|поясни(?:в|ла|ли)|розпов(?:ів|іла|іли)|кажуть)(?:\s+[ву](?=\s))?"),
    "be": (r"(?:па|на)\s+(?:(?P<who>яго|яе|іх)\s+)?(?:словах|думку)|паводле|па\s+дадзеных"
           r"|як\s+(?:заявіў|заявіла|паведаміў|паведаміла|паведамілі|адзначыў|адзначыла|піша|паведамляе|перадае)"
           r"(?:\s+[ўу](?=\s))?"),
    # "według X", "zdaniem X", "jego zdaniem", "jak podała X", "jak poinformowało X"
    "pl": (r"według|wedle|(?:(?P<who>jego|jej|ich)\s+)?zdaniem|(?:jak|co)\s+(?:poda(?:ł|ła|li|ło|je)|"
           r"poinformowa(?:ł|ła|li|ło)|powiedzia(?:ł|ła|li)|przekaza(?:ł|ła|li|ło)|pisze|twierdzi|zaznaczy(?:ł|ła|li)|"
           r"doda(?:ł|ła|li)|stwierdzi(?:ł|ła|li)|podkreśli(?:ł|ła|li)|oceni(?:ł|ła|li)|mówi(?:ł|ła|li)?|"
           r"tłumaczy(?:ł|ła|li)|wskaza(?:ł|ła|li)|napisa(?:ł|ła|li)|zauważy(?:ł|ła|li))(?:\s+w(?=\s))?"),
    # "X-тың айтуынша" / "X-тің сөзінше": the source comes first (as German "zufolge")
    "kk": r"айтуынша|сөзінше|мәліметінше|пікірінше|хабарлауынша",
    "en": r"according\s+to|in\s+the\s+words\s+of",
    "fr": r"selon|d['’]après|aux\s+dires\s+de",
    "es": r"según|de\s+acuerdo\s+con|a\s+juicio\s+de",
    # "според него" / "по негови думи": the pronoun is the source
    "bg": (r"(?:според\s+(?=(?:него|нея|тях)(?!\w))|по\s+(?=(?:негови|нейни|техни)\s+думи))"
           r"(?P<who>него|нея|тях|негови|нейни|техни)(?:\s+думи(?:те)?)?|според|по\s+думи(?:те)?(?:\s+на)?|по\s+данни|"
           r"както\s+(?:заяви|съобщи|каза|посочи|отбеляза|пише|съобщава)"),
    "pt": r"segundo|de\s+acordo\s+com|conforme|na\s+opinião\s+de",
    "it": r"secondo|a\s+detta\s+di|a\s+giudizio\s+di|stando\s+a",
}

# complementisers that open indirect speech after a cue
COMPLEMENTISER: dict[str, str] = {
    "de": r"dass|ob",
    "ru": r"что|чтобы|будто",
    "en": r"that",
    "fr": r"que|qu['’]",
    "es": r"que",
    "bg": r"че|дали",
    "pt": r"que",
    "it": r"che",
    "uk": r"що|щоб|нібито|начебто",
    "be": r"што|каб|нібыта",
    "pl": r"że|iż|żeby",
    "kk": r"деп",
}

PRONOUNS: dict[str, set[str]] = {
    "de": {"er", "sie"},  # "es" ("heißt es") never names a speaker
    "ru": {"он", "она", "они"},
    "en": {"he", "she", "they", "we", "i"},
    "fr": {"il", "elle", "ils", "elles"},
    "es": {"él", "ella", "ellos", "ellas"},
    "bg": {"той", "тя", "те"},
    "pt": {"ele", "ela", "eles", "elas"},
    "it": {"lui", "lei", "loro", "egli", "ella"},
    "uk": {"він", "вона", "вони"},
    "be": {"ён", "яна", "яны"},
    "pl": {"on", "ona", "oni", "one"},
    "kk": {"ол", "олар"},
}

# nouns naming a role; a speaker phrase built on one of them is resolved to a named person nearby
ROLE_NOUNS: dict[str, str] = {
    "de": (
        r"sprecher(?:in)?|präsident(?:in|en)?|minister(?:in)?|außenminister(?:in)?|kanzler(?:in)?|"
        r"regierungschef(?:in)?|staatschef(?:in)?|botschafter(?:in)?|chef(?:in)?|vorsitzende[rn]?|"
        r"bürgermeister(?:in)?|sekretär(?:in)?|pressesprecher(?:in)?|senator(?:in)?|abgeordnete[rn]?|"
        r"politiker(?:in)?|oppositionsführer(?:in)?|diplomat(?:in)?|stellvertreter(?:in)?|berater(?:in)?"
    ),
    "ru": (
        r"пресс-секретар[ьяюем]|представител[ьяюем]|президент(?:а|у|ом)?|министр(?:а|у|ом)?|"
        r"глав(?:а|ы|е|ой)|премьер(?:-министр)?|посол|посла|спикер(?:а)?|руководител[ьяюем]|председател[ьяюем]|"
        r"дипломат(?:а|у|ом)?|(?:экс-|вице-)?(?:гос|генеральн\w+\s+)?секретар[ьяюем]|генсек(?:а|у|ом)?|"
        r"канцлер(?:а|у|ом)?|мэр(?:а|у|ом)?|губернатор(?:а|у|ом)?|прокурор(?:а|у|ом)?|генпрокурор(?:а|у|ом)?|"
        r"депутат(?:а|у|ом)?|сенатор(?:а|у|ом)?|лидер(?:а|у|ом)?|обозревател[ьяюем]|экс-президент(?:а|у|ом)?|"
        r"экс-госсекретар[ьяюем]"
    ),
    "en": (
        r"spokes(?:wo)?man|spokesperson|president|minister|secretary|chancellor|ambassador|senator|"
        r"governor|mayor|chief|leader|chairman|chairwoman|official|prime\s+minister|press\s+secretary"
    ),
    "fr": (
        r"porte-parole|président(?:e)?|ministre|chancelier|chancelière|ambassadeur|ambassadrice|"
        r"secrétaire|maire|gouverneur|dirigeant(?:e)?|directeur|directrice|chef(?:fe)?|responsable|diplomate"
    ),
    "es": (
        r"portavoz|president(?:e|a)|ministr(?:o|a)|canciller|embajador(?:a)?|secretari(?:o|a)|alcalde(?:sa)?|"
        r"gobernador(?:a)?|dirigente|director(?:a)?|jef(?:e|a)|responsable|diplomático|diplomática"
    ),
    "bg": (
        r"говорител(?:ят|я)?|президент(?:ът|а)?|министър(?:ът)?|министъра|премиер(?:ът|а)?|посланик(?:ът|а)?|"
        r"лидер(?:ът|а)?|ръководител(?:ят|я)?|председател(?:ят|я)?|секретар(?:ят|я)?|кмет(?:ът|а)?|"
        r"политик(?:ът|а)?|дипломат(?:ът|а)?|анализатор(?:ът|а)?|експерт(?:ът|а)?|автор(?:ът|а)?|журналист(?:ът|а)?"
    ),
    "pt": (
        r"porta-voz|president(?:e|a)|ministr(?:o|a)|chanceler|embaixador(?:a)?|secretári(?:o|a)|prefeit(?:o|a)|"
        r"governador(?:a)?|dirigente|diretor(?:a)?|chefe|líder|comandante(?:-chefe)?|analista|especialista|"
        r"primeiro-ministro|primeira-ministra|diplomata"
    ),
    "it": (
        r"portavoce|president(?:e|essa)|ministr(?:o|a)|premier|ambasciatore|ambasciatrice|segretari(?:o|a)|"
        r"sindac(?:o|a)|governatore|dirigente|direttore|direttrice|capo|leader|comandante|analista|esperto|esperta"
    ),
    "uk": (
        r"прес-секретар(?:я|ю|ем)?|речни(?:к|ця|ка|ці|цею|ком)|представни(?:к|ця|ка|ку|ком|ці)|президент(?:а|у|ом)?|"
        r"міністр(?:а|у|ом)?|прем['’]?єр(?:-міністр(?:а|у|ом)?)?|голов(?:а|и|і|ою)|посол|посла|спікер(?:а)?|"
        r"керівни(?:к|ця|ка|ку|ком)|очільни(?:к|ця|ка|ку|ком)|мер(?:а)?|губернатор(?:а)?|"
        r"дипломат(?:а|у|ом)?|командувач(?:а)?|радни(?:к|ця|ка|ком)|заступни(?:к|ця|ка)|лідер(?:ка|а)?|"
        r"депутат(?:ка|а)?|нардеп(?:а)?|генерал(?:а)?"
    ),
    "be": (
        r"прэс-сакратар(?:а|ом)?|прадстаўні(?:к|ца|ка|кам)|прэзідэнт(?:а|у|ам)?|міністр(?:а|у|ам)?|"
        r"прэм['’]?ер(?:-міністр(?:а)?)?|кіраўні(?:к|ца|ка|кам)|старшын(?:я|і|ёй)|пасол|пасла|спікер(?:а)?|"
        r"дыпламат(?:а)?"
    ),
    "pl": (
        r"rzeczni(?:k|czka|ka|czki)|prezydent(?:a|em)?|premier(?:a|em)?|minist(?:er|ra|rem)|szef(?:a|owa|em)?|"
        r"ambasador(?:a)?|przewodnicząc(?:y|a|ego)|burmistrz(?:a)?|prezes(?:a)?|wicepremier(?:a)?|"
        r"dyplomat(?:a)?|przedstawiciel(?:ka|a)?|doradc(?:a|y)|polityk(?:a)?|lider(?:ka|a)?|wiceszef(?:owa|a)?|"
        r"wiceminist(?:er|ra)|europos(?:eł|łanka|ła)|pos(?:eł|łanka|ła)|sekretarz|senator(?:ka|a)?|wojewod(?:a|y)|"
        r"marszał(?:ek|ka)"
    ),
    "kk": r"президент(?:і)?|министр(?:і)?|премьер-министр(?:і)?|төраға(?:сы)?|басшы(?:сы)?|елші(?:сі)?|баспасөз\s+хатшысы|өкілі",
}

# nouns naming a person by what they do, not by an office ("сказав журналіст", "powiedział mieszkaniec"): after a
# cue the phrase built on one speaks (the rules read them with the roles), but without articles a bare one is
# as often someone new as someone named before, so the resolver never ties it to an earlier name (not in ROLE_NOUNS)
PERSON_NOUNS: dict[str, str] = {
    "uk": (r"журналіст(?:ка|а)?|експерт(?:ка|а)?|аналітик(?:а)?|автор(?:ка|а)?|працівни(?:к|ця|ка)|мешкан(?:ець|ка|ця)|"
           r"свідок|волонтер(?:ка|а)?|військов(?:ий|а|ого)|учасни(?:к|ця|ків)"),
    "be": r"журналіст(?:ка|а)?|эксперт(?:ка|а)?|аналітык(?:а)?|аўтар(?:ка|а)?|жыхар(?:ка|а)?|сведка|валанцёр(?:ка|а)?",
    "pl": (r"dziennikar(?:z|ka|za)|komentator(?:ka|a)?|ekspert(?:ka|a)?|analityk|autor(?:ka|a)?|pracowni(?:k|czka|ka)|"
           r"mieszka(?:niec|nka|ńca)|świadek|rabin|uczestni(?:k|czka|ków)"),
}


# nouns naming an institution; "the ministry", "die russische Behörde", "ведомство" refer back to
# the institution that spoke last, never to a person
ORG_ROLE_NOUNS: dict[str, str] = {
    "de": (
        r"\w*ministerium|\w*ministeriums|regierung|behörde|amt|botschaft|verwaltung|kreml|"
        r"präsidialamt|staatsanwaltschaft|polizei|armee|streitkräfte|agentur|organisation|allianz|"
        r"\w*kommission|ausschuss|gericht"
    ),
    "ru": r"министерств\w*|ведомств\w*|правительств\w*|посольств\w*|администраци\w*|кремл\w*|мид|комисси\w*|прокуратур\w*",
    "en": (
        r"ministry|government|department|agency|authorit(?:y|ies)|embassy|administration|kremlin|"
        r"office|police|army|military|alliance|organi[sz]ation|commission|committee"
    ),
    "fr": (r"ministère|gouvernement|autorité|agence|ambassade|administration|kremlin|armée|police|organisation|"
           r"commission|comité|parquet"),
    "es": (r"ministerio|gobierno|autoridad|agencia|embajada|administración|kremlin|ejército|policía|organización|"
           r"comisión|comité|fiscalía"),
    "bg": r"министерств\w*|правителств\w*|посолств\w*|администраци\w*|кремъл\w*|армия\w*|полиция\w*|комиси\w*|прокуратур\w*",
    "pt": (r"ministério|governo|autoridade|agência|embaixada|administração|kremlin|exército|polícia|organização|"
           r"comissão|comitê|comité|procuradoria|pentágono|departamento"),
    "it": (r"ministero|governo|autorità|agenzia|ambasciata|amministrazione|cremlino|esercito|polizia|organizzazione|"
           r"commissione|comitato|procura|pentagono|dipartimento"),
    "uk": r"міністерств\w*|відомств\w*|уряд\w*|посольств\w*|адміністраці\w*|офіс\w*|кремл\w*|мзс|комісі\w*|прокуратур\w*|штаб\w*",
    "be": r"міністэрств\w*|ведамств\w*|урад\w*|пасольств\w*|адміністрацы\w*|крэмл\w*|мзс|камісі\w*|пракуратур\w*",
    "pl": (r"ministerstw\w*|rząd\w*|rzęd\w*|ambasad\w*|administracj\w*|kancelari\w*|kreml\w*|msz|komisj\w*|"
           r"prokuratur\w*|polic\w*|resort\w*"),
    "kk": r"министрлі\w*|үкімет\w*|елшілі\w*|әкімшілі\w*|ақорда\w*|сыртқы\s+істер\s+министрлігі\w*",
}

# nouns naming an anonymous source ("источник в правительстве", "a source close to the talks", "eine Quelle
# aus Regierungskreisen", "собеседник агентства"): the speaker is that phrase with its description, never a
# name inside it ("a source close to Putin" is not Putin) nor the nearest name
# kin and friends: after a possessive pronoun ("її син", "his wife", "jego przyjaciel") the phrase names
# another person than the pronoun's antecedent, who speaks in their own right
KIN_NOUNS: dict[str, str] = {
    "uk": r"син(?:а|ові)?|доньк[аи]|дочк[аи]|мати|матір|батьк[оа]|дружин[аи]|чоловік(?:а)?|брат(?:а)?|сестр[аи]|"
          r"друг(?:а|ом|ові)?|подруг(?:а|и|ою)|бабус[яі]|дідус[ья]",
    "be": r"сын|дачка|маці|бацька|жонка|муж|брат|сястра|сябар|сяброўка",
    "ru": r"сын(?:а|ом)?|доч(?:ь|ери|ерью)|мать|матери|отец|отца|жен[аыо]й?|муж(?:а|ем)?|брат(?:а|ом)?|сестр[аыо]й?|"
          r"друг(?:а|ом)?|подруг(?:а|и|ой)|"
          r"бабушк[аи]|дедушк[аи]",
    "pl": r"syn(?:a)?|córk[ai]|matk[ai]|ojciec|ojca|żon[ay]|mąż|męża|brat(?:a)?|siostr[ay]|przyjaciel(?:a|ka|ki)?",
    "en": r"son|daughter|mother|father|wife|husband|brother|sister|friend|partner|grandmother|grandfather|mom|dad",
    "de": r"sohn|tochter|mutter|vater|ehefrau|frau|ehemann|mann|bruder|schwester|freund(?:in)?|partner(?:in)?",
    "pt": r"filho|filha|mãe|pai|esposa|marido|mulher|irmão|irmã|amigo|amiga",
    "it": r"figlio|figlia|madre|padre|moglie|marito|fratello|sorella|amico|amica",
    "fr": r"fils|fille|mère|père|femme|épouse|mari|frère|sœur|ami(?:e)?|compagne|compagnon",
    "es": r"hijo|hija|madre|padre|esposa|esposo|mujer|marido|hermano|hermana|amigo|amiga",
}

# possessive pronouns and indefinite articles: before a kin or role noun they name someone new ("її син
# повідомив", "a spokesman said", "sein Sprecher sagte"), never the person named just before
OTHER_PERSON_OPENERS: dict[str, str] = {
    "uk": r"її|його|їхн\w*|мій|моя|наш\w*|св(?:ій|оя|ого|оєї)",
    "be": r"яе|яго|іх|мой|мая|наш\w*|свой|свая",
    "ru": r"её|ее|его|их|мой|моя|наш\w*|сво(?:й|я|его|ей)",
    "pl": r"jej|jego|ich|mój|moja|nasz\w*|sw(?:ój|oja|ojego|ojej)",
    "en": r"his|her|their|my|our|an?",
    "de": r"sein\w*|ihr\w*|mein\w*|ein|eine|einer",
    "pt": r"seu|sua|seus|suas|um|uma",
    "it": r"suo|sua|suoi|loro|un|uno|una",
    "fr": r"son|sa|ses|leurs?|mon|ma|un|une",
    "es": r"su|sus|mi|un|una",
}


def other_person_phrase(phrase: str, lang: str, roles: re.Pattern[str]) -> bool:
    """Whether a subject phrase names a new person by a possessive or indefinite opener and a kin or role noun
    within two words of it ("її син", "a spokesman", "sein Sprecher"): someone the article does not name, not
    the person named just before."""
    opener, kin = OTHER_PERSON_OPENERS.get(lang), KIN_NOUNS.get(lang)
    if opener is None or kin is None:
        return False
    for m in re.finditer(rf"(?<![\w-])(?:{opener})\s+((?:[\w-]+\s+)?[\w-]+)", phrase, re.IGNORECASE):
        words = m.group(1)
        if re.search(rf"(?<![\w-])(?:{kin})(?![\w-])", words, re.IGNORECASE) or roles.search(words):
            return True
    return False


SOURCE_NOUNS: dict[str, str] = {
    "de": r"quelle(?:n)?|insider(?:in|innen)?|informant(?:in|en)?",
    "ru": r"источник(?:а|у|ом|е|и|ов|ам|ами|ах)?|собеседни(?:к|ка|ку|ком|ки|ков|ца|цы)",
    "en": r"sources?|insiders?",
    "fr": r"sources?",
    "es": r"fuentes?",
    "bg": r"източни(?:к|ци|ка|ците|кът)",
    "pt": r"fontes?",
    "it": r"fonti|fonte",
    "uk": r"джерел(?:о|а|у|ом|і|ами|ах)?|співрозмовни(?:к|ка|ку|ком|ки|ків|ця|ці)",
    "be": r"крыніц(?:а|ы|ай|е|аў|ах)?|суразмоўц(?:а|ы|ай)",
    "pl": r"źródł(?:o|a|em|e|ami|ach)|źródeł|rozmówc(?:a|y|ą|ów)",
    "kk": r"дереккөз(?:і|дер|дің)?",
}


# roles whose holder the article names in another sentence (before or after): the speaker of an
# attribution nearby that names that person is the holder
SPOKES_ROLES: dict[str, str] = {
    "de": r"sprecher(?:in)?|pressesprecher(?:in)?|regierungssprecher(?:in)?",
    "ru": r"пресс-секретар[ьяюем]|представител[ьяюем]|официальн\w+\s+представител[ьяюем]",
    "en": r"spokes(?:wo)?man|spokesperson|press\s+secretary",
    "fr": r"porte-parole",
    "es": r"portavoz",
    "bg": r"говорител(?:ят|я)?|представител(?:ят|я)?",
    "pt": r"porta-voz",
    "it": r"portavoce",
    "uk": r"прес-секретар(?:я|ю|ем)?|речни(?:к|ця|ка|ці|цею|ком)|представни(?:к|ця|ка|ку|ком|ці)",
    "be": r"прэс-сакратар(?:а|ом)?|прадстаўні(?:к|ца|ка|кам)",
    "pl": r"rzeczni(?:k|czka|ka|czki)",
    "kk": r"баспасөз\s+хатшысы|өкілі",
}

#: impersonal cues whose source is the document after "в" / "у" ("говорится в сообщении МИД", "йдеться у заяві
#: Білого дому"): the Russian-like languages' "heißt es in der Erklärung"
IMPERSONAL_CUES: dict[str, str] = {"ru": r"говорится|указано|отмечается", "uk": r"йдеться|зазначається|вказано"}

# documents that speak for whoever issued them ("heißt es in der Erklärung")
DOCUMENT_NOUNS: dict[str, str] = {
    "de": r"erklärung|mitteilung|stellungnahme|pressemitteilung|bericht|text|artikel|dokument|seite",
    "ru": r"заявлени\w*|сообщени\w*|документ\w*|текст\w*",
    "en": r"statement|release|report|document|text|article",
    "fr": r"communiqué|déclaration|rapport|document|texte",
    "es": r"comunicado|declaración|informe|documento|texto",
    "bg": r"изявление\w*|съобщение\w*|документ\w*|текст\w*",
    "pt": r"comunicado|declaração|relatório|documento|texto|nota",
    "it": r"comunicato|dichiarazione|rapporto|documento|testo|nota",
    "uk": r"заяв\w*|повідомлен\w*|документ\w*|текст\w*",
    "be": r"заяв\w*|паведамлен\w*|дакумент\w*|тэкст\w*",
    "pl": r"oświadczeni\w*|komunikat\w*|dokument\w*|tekst\w*",
    "kk": r"мәлімдеме\w*|хабарлама\w*|құжат\w*",
}


# nouns that report a claim ("claims by X that ...", "die Behauptungen von X, dass ...", "заявления X о
# том, что ..."): the claim is the agent's, never the subject of the verb the noun is the object of
# ("Lindqvist addressed claims by Tarnavsky that ..." is Tarnavsky's claim). The rule extractor
# reads NOUN_CLAIMS (plural and case endings in the pattern); the English parse path reads the lemmas.
EN_CLAIM_NOUNS: frozenset[str] = frozenset([
    "claim", "allegation", "assertion", "statement", "accusation", "suggestion", "contention",
    "insistence", "denial", "warning", "argument", "assurance", "charge", "complaint", "prediction",
    "promise", "pledge", "remark", "comment", "declaration", "announcement", "admission", "belief",
    "conclusion", "view", "insinuation", "speculation", "rumor", "rumour", "report", "threat",
])
NOUN_CLAIMS: dict[str, str] = {
    "de": (r"behauptung(?:en)?|aussage(?:n)?|äußerung(?:en)?|vorwurfs?|vorwürfen?|warnung(?:en)?|"
           r"darstellung(?:en)?|angabe(?:n)?|versicherung(?:en)?|beteuerung(?:en)?|erklärung(?:en)?|"
           r"anschuldigung(?:en)?|unterstellung(?:en)?|ankündigung(?:en)?|drohung(?:en)?"),
    "ru": (r"заявлени(?:е|я|ю|ем|и|й|ям|ями|ях)|утверждени(?:е|я|ю|ем|и|й|ям|ями|ях)|"
           r"обвинени(?:е|я|ю|ем|и|й|ям|ями|ях)|слов(?:а|ам|ами|ах)?|высказывани(?:е|я|ю|ем|и|й|ям|ями|ях)|"
           r"предупреждени(?:е|я|ю|ем|и|й|ям|ями|ях)|намёк(?:и|ам|ами|ах)?|намек(?:и|ам|ами|ах)?"),
    "en": (r"claims?|allegations?|assertions?|statements?|accusations?|suggestions?|contentions?|"
           r"denials?|warnings?|assurances?|charges?|remarks?|comments?|declarations?|insinuations?"),
    "fr": (r"affirmations?|déclarations?|allégations?|accusations?|assertions?|propos|"
           r"assurances?|avertissements?|insinuations?"),
    "es": (r"afirmaci(?:ón|ones)|declaraci(?:ón|ones)|acusaci(?:ón|ones)|denuncias?|aseveraci(?:ón|ones)|"
           r"advertencias?|insinuaci(?:ón|ones)|palabras"),
    # subject and object forms only: "у заяві йшлося, що" is a document speaking, "іншими словами" no claim
    "uk": r"заяв(?:а|и|у)|твердження|звинувачення|слова|попередження|натяк(?:и)?",
    "be": r"заяв(?:а|ы|е|у|ай|ам|амі|ах)|сцвярджэнн(?:е|я|ю|ем|ямі|ях)|абвінавачванн(?:е|я|ю|ем|ямі|ях)|словы|словах",
    "pl": (r"oświadczeni(?:e|a|u|em|ach|ami)|twierdzeni(?:e|a|u|em|ach|ami)|oskarżeni(?:e|a|u|em|ach|ami)|"
           r"zapewnieni(?:e|a|u|em|ach|ami)|sugesti(?:a|e|i|ą)|słow(?:a|ach|ami)"),
}
# what ties the agent to the claim noun ("by", "von", "de"; Russian uses the bare genitive) and what
# opens the claim's clause after the agent ("that", ", dass", "о том, что", "selon lesquelles", "de que")
CLAIM_AGENT: dict[str, str] = {
    "de": r"von|vom|des|der",
    "ru": r"",
    "en": r"by",
    "fr": r"de|du|des|d['’]",
    "es": r"de|del",
    "uk": r"",
    "be": r"",
    "pl": r"",
}
CLAIM_COMPLEMENT: dict[str, str] = {
    "de": r"dass",
    "ru": r"(?:о\s+том\s*,\s*)?(?:что|будто)",
    "en": r"that",
    "fr": r"selon\s+(?:laquelle|lesquelles|lequel|lesquels)|que|qu['’]",
    "es": r"de\s+que|que",
    "uk": r"(?:про\s+те\s*,\s*)?(?:що|нібито|начебто)",
    "be": r"(?:пра\s+тое\s*,\s*)?(?:што|нібыта)",
    "pl": r"(?:o\s+tym\s*,\s*)?(?:że|iż|jakoby)",
}


def compile_words(pattern: str) -> re.Pattern[str]:
    """Whole-word, case-insensitive matcher for a lexicon pattern."""
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)


def compile_person_roles(lang: str) -> re.Pattern[str]:
    """The person-role matcher of a language; German writes roles as compounds ("Verteidigungsminister",
    "Regierungssprecher", "Parteichef"), so there a role noun may close a longer word."""
    pattern = ROLE_NOUNS.get(lang, ROLE_NOUNS["en"])
    if lang != "de":
        return compile_words(pattern)
    return re.compile(rf"(?<![\w-])\w*(?:{pattern})(?![\w-])", re.IGNORECASE)


# English lemmas that head attributions in PolNeAR's broad sense: saying, but also believing,
# intending, supporting and reporting. A CRF feature (not a rule): it lets the cue tagger carry
# what it learned about frequent cue verbs over to rarer ones it saw a few times or never.
EN_CUE_LEMMAS: frozenset[str] = frozenset([
    "say", "tell", "add", "state", "write", "note", "explain", "claim", "argue", "insist", "warn", "deny",
    "announce", "declare", "stress", "emphasize", "emphasise", "tweet", "acknowledge", "admit", "assert",
    "suggest", "believe", "think", "report", "confirm", "reply", "respond", "describe", "call", "accuse",
    "urge", "ask", "predict", "promise", "pledge", "vow", "propose", "plan", "want", "hope", "expect",
    "fear", "worry", "support", "oppose", "back", "endorse", "criticize", "criticise", "praise", "blame",
    "agree", "disagree", "know", "feel", "consider", "show", "find", "reveal", "indicate", "accord",
    "allege", "maintain", "contend", "complain", "concede", "recall", "demand", "threaten", "intend",
    "seek", "favor", "favour", "reject", "dismiss", "condemn", "defend", "estimate", "forecast", "suspect",
    "doubt", "wonder", "recognize", "understand", "learn", "conclude", "decide", "testify", "tout", "boast",
    "joke", "quip", "signal", "mention", "point", "repeat", "question", "challenge", "charge", "label",
    "dub", "characterize", "portray", "welcome", "applaud", "lament", "wish", "prefer", "refuse", "decline",
    "push", "advocate", "recommend", "advise", "caution", "remind", "assure", "guarantee", "cite", "quote",
    "release", "publish", "post", "poll", "survey", "view", "see", "speak", "talk", "discuss", "comment",
    "remark", "observe", "announce", "insist", "assume", "imagine", "guess", "reckon", "anticipate", "vote",
    "lobby", "campaign", "attack", "slam", "blast", "hail", "tell", "proclaim",
])


# verbs that charge someone with something, and the preposition that introduces the charge
# ("accused Moscow of creating threats", "blamed Kyiv for shelling", "charged him with lying"): what
# a reader takes from such a quote is the charge with the accused as its subject ("Moscow creating
# threats"), not the accused "of" the charge. German "beschuldigen X, Y zu tun" and Russian
# "обвинять X в Y" are the same frame (`CHARGE_VERBS` below for the rule extractor).
EN_CHARGE_VERBS: dict[str, str] = {
    "accuse": "of", "suspect": "of", "charge": "with", "blame": "for", "fault": "for",
    "criticize": "for", "criticise": "for", "condemn": "for",
}


def _english_forms(lemma: str) -> tuple[str, ...]:
    """The finite and participle forms of a regular English verb (every charge verb is one)."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    return lemma, lemma + "s", stem + "ed", stem + "ing"


# each English form of a charge verb with the preposition that introduces its charge: the rule extractor
# reads the same verbs as the parse path, and keeps a match only where the verb's own preposition links
# ("blamed X for", not "blamed X of"; `charge_link_ok`)
EN_CHARGE_FORMS: dict[str, str] = {form: word for lemma, word in EN_CHARGE_VERBS.items()
                                   for form in _english_forms(lemma)}


def charge_link_ok(lang: str, verb: str, link: str) -> bool:
    """Whether a charge verb's form and the link found after it belong together: English verbs each take
    their own preposition (`EN_CHARGE_VERBS`); the other languages' links fit all their verbs."""
    if lang != "en":
        return True
    return EN_CHARGE_FORMS.get(verb.lower()) == link.strip().lower()


# the rule extractor's charge verbs: (verb forms, what links the accused to the charge). The charge is
# an infinitive clause after a comma in German ("beschuldigte Psaki Moskau, die Bedrohungen zu schaffen",
# "warf X vor, ... zu haben"), a "в" phrase in Russian ("обвинила Москву в создании угроз"), "de" in
# French and Spanish; a complementiser clause ("в том, что ...", ", dass ...") has its own subject
# accusing verbs of the languages without a charge frame here (`CHARGE_VERBS` gives the others'): as a quote's
# cue, the name right after one is the accused, never the speaker ("Те обвиниха Брюксел, че …")
ACCUSING_VERBS: dict[str, str] = {
    "bg": r"обвин(?:и|иха|ява|яват|яваше|яваха|ил|ила|или|ен|ена|ени)",
    "pt": r"acus(?:a|am|ou|aram|ava|avam|ado|ada|ados|adas)",
    "it": r"accus(?:a|ano|ò|arono|ava|avano|ato|ata|ati|ate)",
}
CHARGE_VERBS: dict[str, tuple[str, str]] = {
    "de": (r"beschuldigt(?:e|en)?|bezichtigt(?:e|en)?|warf(?:en)?|wirft|werfen", r",\s*(?:dass\s+)?"),
    "ru": (r"обвин(?:ил|ила|или|ял|яла|яли|яет|яют)", r"\s+во?\s+(?:том\s*,\s*(?:что|будто)\s+)?"),
    "en": ("|".join(sorted(EN_CHARGE_FORMS, key=len, reverse=True)),
           r"\s+(?:" + "|".join(sorted(set(EN_CHARGE_VERBS.values()))) + r")\s+"),
    "fr": (r"accus(?:é|ée|és|ées|e|ent|ait|aient)", r"\s+(?:de\s+|d['’])"),
    "es": (r"acus(?:ó|a|an|aron|aba|aban)", r"\s+de\s+"),
    "uk": (r"звинува(?:тив|тила|тили|чує|чують|чував|чувала|чували)", r"\s+[ву]\s+(?:тому\s*,\s*(?:що|нібито)\s+)?"),
    "be": (r"абвінаваці(?:ў|ла|лі)|абвінавачва(?:е|юць)", r"\s+[ўу]\s+(?:тым\s*,\s*(?:што|нібыта)\s+)?"),
    "pl": (r"oskarży(?:ł|ła|li|ły)|oskarża(?:ją|ł|ła|li)?", r"\s+o\s+(?:to\s*,\s*(?:że|iż)\s+)?"),
}
