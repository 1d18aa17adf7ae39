// Receives the completion notice from the topic and records it beside the job. SNS delivers at
// least once, so a repeated notice finds the record already written and changes nothing.
import { finalKey, putJson, type Completion } from './jobs';

type SnsEvent = { Records: { EventSubscriptionArn: string; Sns: { MessageId: string; TopicArn: string; Subject: string | null; Message: string; Timestamp: string } }[] };

export const handler = async (event: SnsEvent) => {
  for (const { Sns, EventSubscriptionArn } of event.Records) {
    const completion = JSON.parse(Sns.Message) as Completion;
    const written = await putJson(finalKey(completion.jobId), {
      ...completion,
      finalizedAt: new Date().toISOString(),
      notice: { messageId: Sns.MessageId, topicArn: Sns.TopicArn, subject: Sns.Subject, timestamp: Sns.Timestamp, subscriptionArn: EventSubscriptionArn },
    }, true);
    console.log(JSON.stringify({ finalized: completion.jobId, duplicate: !written }));
  }
};
