import { largeProfile } from '../../bench/generate';

/** The benchmark's 4.86 MB profile, with a mistake of each kind the schema checks every 97th HostEntry. */
export function largeProfileWithMistakes(): string {
  const mistakes: ((entry: string) => string)[] = [
    (e) => e.replace('<HostName>', '<HostNme>').replace('</HostName>', '</HostNme>'), // HS202 with a suggestion
    (e) => e.replace('<UserGroup>', '<UserGroup>a &amp; b').replace('</HostEntry>', '<HostName>again</HostName></HostEntry>'), // HS205
    (e) => e.replace(/<HostName>[^<]*<\/HostName>/, ''), // HS211: HostName is required
    (e) => e.replace(/(<HostAddress>[^<]*<\/HostAddress>)/, '$1<AutomaticCertSelection>true</AutomaticCertSelection>'), // HS203
    (e) => e.replace('<HostEntry>', '<HostEntry Color="red">'), // HS210
    (e) => e.replace('<HostEntry>', '<HostEntry>stray <![CDATA[text]]>'), // HS208
    (e) => e.replace('<UserGroup>', '<PrimaryProtocol>ssl</PrimaryProtocol><UserGroup>'), // HS206 with a fix, maybe HS204/HS205
    (e) => e.replace('<UserGroup>', '<PrimaryProtocol> </PrimaryProtocol><UserGroup>'), // HS207
  ];
  let index = 0;
  return largeProfile().replace(/<HostEntry>[\s\S]*?<\/HostEntry>/g, (entry) => {
    index++;
    return index % 97 === 0 ? mistakes[(index / 97) % mistakes.length](entry) : entry;
  });
}
